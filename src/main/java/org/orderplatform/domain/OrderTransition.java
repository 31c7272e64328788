package org.orderplatform.domain;

import java.util.Arrays;

import static org.orderplatform.domain.OrderStatus.FAILED;
import static org.orderplatform.domain.OrderStatus.PENDING;
import static org.orderplatform.domain.OrderStatus.PROCESSED;
import static org.orderplatform.domain.OrderStatus.PROCESSING;

/**
 * The order state machine: the only legal moves between {@link OrderStatus} values.
 * <p>
 * The stores apply each transition with {@code UPDATE ... WHERE status = :from}, so the database refuses
 * what this class refuses even when two workers race: a duplicate or late event cannot move an order
 * backwards or complete it twice.
 */
public enum OrderTransition {
    /** A worker takes the order for one attempt. */
    START(PENDING, PROCESSING),
    /** The attempt succeeded: final. */
    COMPLETE(PROCESSING, PROCESSED),
    /** The attempt failed (or its worker vanished) and attempts are left: try again later. */
    RETRY(PROCESSING, PENDING),
    /** The attempt failed and the attempt budget is spent: the order goes to the DLQ. */
    FAIL(PROCESSING, FAILED),
    /** An operator sends a dead-lettered order back with a fresh attempt budget. */
    REPROCESS(FAILED, PENDING);

    private final OrderStatus from;
    private final OrderStatus to;

    OrderTransition(OrderStatus from, OrderStatus to) {
        this.from = from;
        this.to = to;
    }

    public OrderStatus from() {
        return from;
    }

    public OrderStatus to() {
        return to;
    }

    /** The transition that moves an order from {@code from} to {@code to}; refuses any other move. */
    public static OrderTransition between(OrderStatus from, OrderStatus to) {
        return Arrays.stream(values())
                .filter(t -> t.from == from && t.to == to)
                .findFirst()
                .orElseThrow(() -> new IllegalTransitionException(from, to));
    }

    /** Whether an order may move from {@code from} to {@code to}. */
    public static boolean isLegal(OrderStatus from, OrderStatus to) {
        return Arrays.stream(values()).anyMatch(t -> t.from == from && t.to == to);
    }
}
