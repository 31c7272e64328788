package org.orderplatform.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.orderplatform.domain.OrderEvent;

/**
 * What {@code POST /dlq/reprocess} did for one id: {@code reprocessed} (back to PENDING, a new event
 * written), {@code dlq_entry_not_found} (the 404 of the single reprocess) or {@code invalid_state} (its
 * 409: the order has a DLQ entry but is not FAILED). The event is for the transport's wake-up, not the client.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReprocessResult(String orderId, String result, String message, @JsonIgnore OrderEvent event) {
    public static final String REPROCESSED = "reprocessed";
    public static final String NOT_FOUND = "dlq_entry_not_found";
    public static final String INVALID_STATE = "invalid_state";

    @JsonIgnore
    public boolean isReprocessed() {
        return REPROCESSED.equals(result);
    }
}
