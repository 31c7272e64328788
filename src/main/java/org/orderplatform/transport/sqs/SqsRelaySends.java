package org.orderplatform.transport.sqs;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers SQS's answers to a claim's batch sends, which run in parallel (routes/sqs/api/sqs-relay.camel.yaml), into
 * one list, so that {@link SqsRelay#settle} settles the claim in one statement. A send that failed was handled by
 * the route's poll-errors inside the split and has no answer: it is left out, and its events stay LOCKED.
 * <p>
 * The result is a fresh exchange: a failed send's exchange, carrying its handled failure, would stop the route
 * before the settle and leave the batches that did reach SQS to be sent again (SqsTransportTest).
 */
public class SqsRelaySends implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange next) {
        if (collected == null) {
            collected = new DefaultExchange(next.getContext());
            collected.getMessage().setBody(new ArrayList<SendMessageBatchResponse>());
        }
        if (next.getMessage().getBody() instanceof SendMessageBatchResponse response) {
            collected.getMessage().getBody(List.class).add(response);
        }
        return collected;
    }
}
