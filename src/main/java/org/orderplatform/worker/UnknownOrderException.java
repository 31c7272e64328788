package org.orderplatform.worker;

import java.util.UUID;

/** An event names an order that does not exist: a poison message, left for the transport's own DLQ. */
public class UnknownOrderException extends RuntimeException {
    public UnknownOrderException(UUID orderId) {
        super("no order " + orderId);
    }
}
