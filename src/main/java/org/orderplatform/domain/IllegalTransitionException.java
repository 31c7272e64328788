package org.orderplatform.domain;

/** Thrown when code asks for a move the order state machine does not allow. */
public class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(OrderStatus from, OrderStatus to) {
        super("Illegal order transition " + from + " -> " + to);
    }
}
