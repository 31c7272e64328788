package org.orderplatform.transport.sqs;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the answers of a claim's SQS batch sends, which run in parallel (routes/sqs/api/sqs-relay.camel.yaml),
 * into one {@link SqsRelay.Sends}, so that the claim is settled in one statement. A send that failed is kept as the
 * claim's failure and does not stop the others; {@link SqsRelay#settle} marks what SQS accepted, then rethrows it.
 * A send whose failure the route's error handler already handled (reported by pollFailures) just has no answer:
 * its events stay LOCKED until stale-lock recovery returns them, as before.
 * <p>
 * The result is a fresh exchange: a failed send's exception copied onto the relay's exchange would stop the route
 * before the settle, leaving the batches that did reach SQS to be sent again.
 */
public class SqsRelaySends implements AggregationStrategy {
    private static final String RESPONSES = "sqsRelayResponses";
    private static final String FAILURE = "sqsRelayFailure";

    @Override
    public Exchange aggregate(Exchange collected, Exchange next) {
        if (collected == null) {
            collected = new DefaultExchange(next.getContext());
            collected.setProperty(RESPONSES, new ArrayList<SendMessageBatchResponse>());
        }
        if (next.getMessage().getBody() instanceof SendMessageBatchResponse response) {
            responses(collected).add(response);
        } else if (next.getException() != null && collected.getProperty(FAILURE) == null) {
            collected.setProperty(FAILURE, next.getException());
        }
        collected.getMessage().setBody(new SqsRelay.Sends(List.copyOf(responses(collected)),
                collected.getProperty(FAILURE, Exception.class)));
        return collected;
    }

    @SuppressWarnings("unchecked")
    private static List<SendMessageBatchResponse> responses(Exchange collected) {
        return collected.getProperty(RESPONSES, List.class);
    }
}
