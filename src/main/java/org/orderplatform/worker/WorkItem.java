package org.orderplatform.worker;

import java.util.UUID;

/**
 * One attempt at one order, held by this worker: the outbox event that carried it, the order, its
 * correlation id and the attempt number (1-based). The attempt number and the worker id fence every
 * finishing update, so a worker whose lease was taken over cannot overwrite its successor's work.
 * {@code traceparent} is the trace context stored with the event (null when tracing was off): the attempt's
 * spans are its children.
 */
public record WorkItem(long eventId, UUID orderId, String correlationId, int attempt, String traceparent) {

    public WorkItem(long eventId, UUID orderId, String correlationId, int attempt) {
        this(eventId, orderId, correlationId, attempt, null);
    }
}
