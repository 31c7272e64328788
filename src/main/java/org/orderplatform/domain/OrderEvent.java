package org.orderplatform.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.UUID;

/**
 * The event that asks a worker to process an order: {@code OrderCreated} at intake, {@code OrderReprocessed}
 * when an operator sends a dead-lettered order back. {@code eventId} is the id of its outbox row. This is
 * the payload on every transport (SEDA body, SQS message body as JSON).
 * <p>
 * {@code traceparent} is the W3C trace context of the request that wrote the event (null when tracing is off).
 * It is not part of the JSON: on SQS it travels as a message attribute, so the body stays the same whether
 * tracing is on or off, and workers of an earlier version read it unchanged.
 */
public record OrderEvent(long eventId, String type, UUID orderId, String correlationId,
                         @JsonIgnore String traceparent) {

    public OrderEvent(long eventId, String type, UUID orderId, String correlationId) {
        this(eventId, type, orderId, correlationId, null);
    }

    /** This event with the trace context a transport carried beside it (an SQS message attribute). */
    public OrderEvent withTraceparent(String carried) {
        return carried == null ? this : new OrderEvent(eventId, type, orderId, correlationId, carried);
    }
}
