package org.orderplatform.worker;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the work items of a split batch whose attempt succeeded, so that the batch is completed in
 * one statement. Failed attempts were already retried or dead-lettered by the error handler.
 * <p>
 * The result is a fresh exchange, never one of the attempts: an attempt that failed carries the error
 * handler's "handled" state, and copied onto the poller's exchange that state stops its pipeline right
 * after the split, so the whole batch would never be completed; an attempt that succeeded carries
 * {@link OrderWorker#PROCESSED}, which would leak into every attempt of the next batch.
 */
public class CollectProcessed implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange collected, Exchange next) {
        WorkItem item = next.getMessage().getBody(WorkItem.class);
        boolean processed = next.getProperty(OrderWorker.PROCESSED, false, Boolean.class);
        if (collected == null) {
            // a fresh exchange, not the first attempt's: Camel copies the result's state to the batch
            // exchange, and an attempt handled by the error handler would stop the batch before completion
            collected = new DefaultExchange(next.getContext());
            collected.getMessage().setBody(new ArrayList<WorkItem>());
        }
        if (processed) {
            @SuppressWarnings("unchecked")
            List<WorkItem> items = collected.getMessage().getBody(List.class);
            items.add(item);
        }
        return collected;
    }
}
