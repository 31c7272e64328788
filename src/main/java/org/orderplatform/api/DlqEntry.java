package org.orderplatform.api;

/** An order parked in the business dead-letter queue, as {@code GET /dlq} shows it. */
public record DlqEntry(String orderId, String reason, int retryCount, String failedAt, String correlationId) {
}
