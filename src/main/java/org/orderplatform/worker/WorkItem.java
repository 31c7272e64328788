package org.orderplatform.worker;

import java.util.UUID;

/**
 * One attempt at one order, held by this worker: the outbox event that carried it, the order, its
 * correlation id and the attempt number (1-based). The attempt number and the worker id fence every
 * finishing update, so a worker whose lease was taken over cannot overwrite its successor's work.
 */
public record WorkItem(long eventId, UUID orderId, String correlationId, int attempt) {
}
