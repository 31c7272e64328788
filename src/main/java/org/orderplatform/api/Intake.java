package org.orderplatform.api;

import org.orderplatform.domain.OrderEvent;

/**
 * The outcome of {@code POST /orders}: the event of a new order, or, for a retry with a known
 * Idempotency-Key and the same body, the event of the order created the first time ({@code replayed}).
 */
public record Intake(OrderEvent event, boolean replayed) {
}
