package org.orderplatform.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.orderplatform.domain.OrderEvent;

import java.util.List;

/**
 * The answer of {@code POST /dlq/reprocess}: how many orders went back to PENDING and one result per id,
 * in the order the ids were given. A 200 even when some ids were not reprocessed: each says why.
 */
public record BulkReprocess(int reprocessed, int refused, List<ReprocessResult> results) {

    public static BulkReprocess of(List<ReprocessResult> results) {
        int done = (int) results.stream().filter(ReprocessResult::isReprocessed).count();
        return new BulkReprocess(done, results.size() - done, results);
    }

    /** The new events, one per reprocessed order, for the transport's wake-up (direct:order-accepted). */
    @JsonIgnore
    public List<OrderEvent> events() {
        return results.stream().filter(ReprocessResult::isReprocessed).map(ReprocessResult::event).toList();
    }
}
