package org.orderplatform.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.math.BigDecimal;

/** An order as {@code GET /orders} shows it. Timestamps are ISO-8601 UTC; {@code retryCount} counts attempts made. */
public record OrderView(String id, String status, String customerId, String currency,
                        @JsonRawValue String items, BigDecimal total, int retryCount,
                        @JsonInclude(JsonInclude.Include.ALWAYS) String failureReason,
                        String correlationId, String createdAt, String updatedAt) {
}
