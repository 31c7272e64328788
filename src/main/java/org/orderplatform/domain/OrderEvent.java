package org.orderplatform.domain;

import java.util.UUID;

/**
 * The event that asks a worker to process an order: {@code OrderCreated} at intake, {@code OrderReprocessed}
 * when an operator sends a dead-lettered order back. {@code eventId} is the id of its outbox row. This is
 * the payload on every transport (SEDA body, SQS message body as JSON).
 */
public record OrderEvent(long eventId, String type, UUID orderId, String correlationId) {
}
