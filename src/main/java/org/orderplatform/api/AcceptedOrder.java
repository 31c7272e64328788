package org.orderplatform.api;

/** The answer to an accepted {@code POST /orders} or reprocess request. */
public record AcceptedOrder(String orderId, String status, String correlationId) {
}
