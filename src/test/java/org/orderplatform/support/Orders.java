package org.orderplatform.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The questions tests ask the database about orders, asked one way: status, transitions, counts. */
public final class Orders {
    private final Db db;

    public Orders(Db db) {
        this.db = db;
    }

    /** The order's status column. */
    public String status(String orderId) {
        return (String) db.query("SELECT status FROM orders WHERE id = ?::uuid", orderId).get(0).get("status");
    }

    /** Waits (bounded) until the order has {@code status}. */
    public void awaitStatus(String orderId, String status, Duration bound) {
        await().atMost(bound).until(() -> status(orderId).equals(status));
    }

    /** How often the order was completed (PROCESSED transitions): at most once, whatever the transport. */
    public long completions(String orderId) {
        return db.count("SELECT count(*) FROM order_transitions WHERE order_id = ?::uuid AND to_status = 'PROCESSED'", orderId);
    }

    /** The order's transitions in order, as {@code TO_STATUS@attempt}. */
    public List<String> transitions(String orderId) {
        return db.query("SELECT to_status, attempt FROM order_transitions WHERE order_id = ?::uuid ORDER BY id", orderId)
                .stream().map(r -> r.get("to_status") + "@" + r.get("attempt")).toList();
    }

    /** Orders in any of {@code statuses}. */
    public long withStatus(String... statuses) {
        return db.count("SELECT count(*) FROM orders WHERE status = ANY (?)", (Object) Arrays.copyOf(statuses, statuses.length));
    }

    /** Orders with more than one PROCESSED transition: must be none. */
    public long completedTwice() {
        return db.count("SELECT count(*) FROM (SELECT order_id FROM order_transitions WHERE to_status = 'PROCESSED'"
                + " GROUP BY order_id HAVING count(*) > 1) twice");
    }

    /** All PROCESSED transitions. */
    public long completions() {
        return db.count("SELECT count(*) FROM order_transitions WHERE to_status = 'PROCESSED'");
    }

    /** DLQ entries of one order. */
    public long dlqEntries(String orderId) {
        return db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", orderId);
    }
}
