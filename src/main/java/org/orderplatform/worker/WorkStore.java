package org.orderplatform.worker;

import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.infra.Jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's side of the database: claim, finish and recover. Each method is one short statement (a
 * CTE), committed on its own; processing happens between them, outside any transaction.
 * <p>
 * Guarantees: every transition names its expected status ({@link org.orderplatform.domain.OrderTransition}),
 * and every finishing update also names this worker and the attempt number. A worker that lost its lease
 * (it stalled and {@link #recoverStale} handed the order to another) finishes nothing: its update matches
 * no row. A duplicate event finds the order in another state and starts nothing.
 */
public class WorkStore {

    /** Claims ready outbox events (SKIP LOCKED, served by outbox_ready_idx) and starts their orders. */
    private static final String CLAIM_OUTBOX = """
            WITH ready AS (
                SELECT id FROM outbox
                 WHERE status = 'PENDING' AND next_attempt_at <= now()
                 ORDER BY next_attempt_at, id
                 LIMIT ?
                 FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE outbox e SET status = 'LOCKED', locked_by = ?, locked_at = now()
                  FROM ready WHERE e.id = ready.id
                RETURNING e.id, e.event_type, e.order_id, e.correlation_id, e.traceparent
            ), started AS (
                UPDATE orders o
                   SET status = 'PROCESSING', retry_count = o.retry_count + 1,
                       locked_by = ?, locked_at = now(), updated_at = now()
                  FROM claimed
                 WHERE o.id = claimed.order_id AND o.status = 'PENDING'
                RETURNING o.id, o.retry_count
            )
            SELECT c.id, c.event_type, c.order_id, c.correlation_id, s.retry_count, c.traceparent
              FROM claimed c LEFT JOIN started s ON s.id = c.order_id
             ORDER BY c.id""";

    /** Outbox events whose order was no longer PENDING (a duplicate or late event): nothing to do. */
    private static final String DISCARD_EVENTS = """
            UPDATE outbox SET status = 'DONE', done_at = now()
             WHERE id = ANY(?) AND status = 'LOCKED' AND locked_by = ?""";

    /**
     * Starts one order delivered by a message (sqs, inprocess). A PROCESSING order whose lease expired is
     * taken over while attempts are left: its worker died and its message came back. A lease that expired
     * on the last attempt is not taken over (that would be one attempt more than orders.retry.max-attempts):
     * stale-lock recovery fails the order with a DLQ entry.
     */
    private static final String START = """
            UPDATE orders
               SET status = 'PROCESSING', retry_count = retry_count + 1,
                   locked_by = ?, locked_at = now(), updated_at = now()
             WHERE id = ?
               AND (status = 'PENDING'
                    OR (status = 'PROCESSING' AND locked_at < now() - make_interval(secs => ?) AND retry_count < ?))
            RETURNING retry_count""";

    private static final String STATUS = "SELECT status FROM orders WHERE id = ?";

    /**
     * Starts the orders a batch of messages names (sqs), with the guard of {@link #START}, in one statement.
     * One row per message, in order: the attempt started (null when none), and the order's status before
     * (null when no such order exists: a poison message). Two messages naming the same order start it once,
     * and both rows show that attempt: the caller keeps the first.
     */
    private static final String START_ALL = """
            WITH messages AS (
                SELECT * FROM unnest(?::uuid[]) WITH ORDINALITY AS m(order_id, n)
            ), started AS (
                UPDATE orders o
                   SET status = 'PROCESSING', retry_count = o.retry_count + 1,
                       locked_by = ?, locked_at = now(), updated_at = now()
                 WHERE o.id IN (SELECT order_id FROM messages)
                   AND (o.status = 'PENDING'
                        OR (o.status = 'PROCESSING' AND o.locked_at < now() - make_interval(secs => ?)
                            AND o.retry_count < ?))
                RETURNING o.id, o.retry_count
            )
            SELECT m.n, s.retry_count, o.status
              FROM messages m LEFT JOIN started s ON s.id = m.order_id LEFT JOIN orders o ON o.id = m.order_id
             ORDER BY m.n""";

    /** Completes a batch: one statement for the orders, their events and the audit rows. */
    private static final String COMPLETE = """
            WITH work AS (
                SELECT * FROM unnest(?::uuid[], ?::int[], ?::bigint[]) AS w(order_id, attempt, event_id)
            ), done AS (
                UPDATE orders o
                   SET status = 'PROCESSED', failure_reason = NULL, locked_by = NULL, locked_at = NULL,
                       updated_at = now()
                  FROM work
                 WHERE o.id = work.order_id AND o.status = 'PROCESSING'
                   AND o.locked_by = ? AND o.retry_count = work.attempt
                RETURNING o.id, o.retry_count, o.created_at
            ), events AS (
                UPDATE outbox e SET status = 'DONE', done_at = now()
                  FROM work JOIN done ON done.id = work.order_id
                 WHERE e.id = work.event_id AND e.status <> 'DONE'
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id)
                SELECT id, 'PROCESSING', 'PROCESSED', retry_count, ? FROM done
            )
            SELECT id, extract(epoch FROM now() - created_at) FROM done""";

    /**
     * A failed attempt with attempts left: the order goes back to PENDING and, where this worker holds
     * its outbox event (or nobody does, inprocess), the event waits until the backoff has passed.
     */
    private static final String RETRY = """
            WITH back AS (
                UPDATE orders
                   SET status = 'PENDING', failure_reason = ?, locked_by = NULL, locked_at = NULL, updated_at = now()
                 WHERE id = ? AND status = 'PROCESSING' AND locked_by = ? AND retry_count = ?
                RETURNING id, retry_count, failure_reason
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
                SELECT id, 'PROCESSING', 'PENDING', retry_count, ?, failure_reason FROM back
            ), event AS (
                UPDATE outbox
                   SET status = 'PENDING', next_attempt_at = now() + make_interval(secs => ?),
                       locked_by = NULL, locked_at = NULL
                 WHERE id = ? AND status <> 'DONE' AND (locked_by IS NULL OR locked_by = ?)
                   AND EXISTS (SELECT 1 FROM back)
            )
            SELECT count(*) FROM back""";

    /** Attempts exhausted: FAILED, the DLQ entry and the event's end, in one statement. */
    private static final String DEAD_LETTER = """
            WITH failed AS (
                UPDATE orders
                   SET status = 'FAILED', failure_reason = ?, locked_by = NULL, locked_at = NULL, updated_at = now()
                 WHERE id = ? AND status = 'PROCESSING' AND locked_by = ? AND retry_count = ?
                RETURNING id, retry_count, correlation_id, created_at, failure_reason
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
                SELECT id, 'PROCESSING', 'FAILED', retry_count, ?, failure_reason FROM failed
            ), entry AS (
                INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
                SELECT id, ?, retry_count, correlation_id FROM failed
                ON CONFLICT (order_id) DO UPDATE
                   SET reason = EXCLUDED.reason, retry_count = EXCLUDED.retry_count,
                       correlation_id = EXCLUDED.correlation_id, failed_at = now()
            ), event AS (
                UPDATE outbox SET status = 'DONE', done_at = now()
                 WHERE id = ? AND status <> 'DONE' AND (locked_by IS NULL OR locked_by = ?)
                   AND EXISTS (SELECT 1 FROM failed)
            )
            SELECT extract(epoch FROM now() - created_at) FROM failed""";

    /**
     * Stale-lock recovery after a worker or relay crash. Events locked too long return to PENDING; orders
     * whose lease expired count the lost attempt: back to PENDING while attempts are left, else FAILED
     * with a DLQ entry.
     */
    private static final String RECOVER_STALE = """
            WITH events AS (
                UPDATE outbox SET status = 'PENDING', locked_by = NULL, locked_at = NULL, next_attempt_at = now()
                 WHERE status = 'LOCKED' AND locked_at < now() - make_interval(secs => ?)
                RETURNING id
            ), retried AS (
                UPDATE orders
                   SET status = 'PENDING', failure_reason = 'worker lease expired', locked_by = NULL,
                       locked_at = NULL, updated_at = now()
                 WHERE status = 'PROCESSING' AND locked_at < now() - make_interval(secs => ?) AND retry_count < ?
                RETURNING id, retry_count, failure_reason
            ), failed AS (
                UPDATE orders
                   SET status = 'FAILED', failure_reason = 'worker lease expired on the last attempt',
                       locked_by = NULL, locked_at = NULL, updated_at = now()
                 WHERE status = 'PROCESSING' AND locked_at < now() - make_interval(secs => ?) AND retry_count >= ?
                RETURNING id, retry_count, correlation_id, failure_reason
            ), entry AS (
                INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
                SELECT id, failure_reason, retry_count, correlation_id FROM failed
                ON CONFLICT (order_id) DO NOTHING
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
                SELECT id, 'PROCESSING', 'PENDING', retry_count, 'stale-lock-recovery', failure_reason FROM retried
                UNION ALL
                SELECT id, 'PROCESSING', 'FAILED', retry_count, 'stale-lock-recovery', failure_reason FROM failed
            )
            SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM retried), (SELECT count(*) FROM failed)""";

    private final DataSource dataSource;
    private final String workerId;

    public WorkStore(DataSource dataSource, String workerId) {
        this.dataSource = dataSource;
        this.workerId = workerId;
    }

    public String workerId() {
        return workerId;
    }

    /** Outbox transport: claims up to {@code limit} ready events and starts their orders, in one statement. */
    public List<WorkItem> claimOutbox(int limit) throws SQLException {
        List<WorkItem> work = new ArrayList<>();
        List<Long> discarded = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(CLAIM_OUTBOX)) {
                Jdbc.setParams(s, limit, workerId, workerId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int attempt = rs.getInt(5);
                        if (rs.wasNull()) {
                            discarded.add(rs.getLong(1));
                        } else {
                            work.add(new WorkItem(rs.getLong(1), rs.getObject(3, UUID.class), rs.getString(4), attempt,
                                    rs.getString(6)));
                        }
                    }
                }
            }
            if (!discarded.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(DISCARD_EVENTS)) {
                    Jdbc.setParams(s, Jdbc.bigintArray(c, discarded), workerId);
                    s.executeUpdate();
                }
            }
        }
        return work;
    }

    /**
     * Message transports: starts the order an event names. Empty when there is nothing to start: the
     * order is final (a duplicate delivery), another worker holds a live lease on it, or its expired lease
     * was on attempt {@code maxAttempts} (stale-lock recovery dead-letters it).
     *
     * @throws UnknownOrderException when no such order exists (a poison message)
     */
    public Optional<WorkItem> start(OrderEvent event, Duration leaseTimeout, int maxAttempts) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(START)) {
                Jdbc.setParams(s, workerId, event.orderId(), leaseTimeout.toSeconds(), maxAttempts);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(new WorkItem(event.eventId(), event.orderId(), event.correlationId(), rs.getInt(1),
                                event.traceparent()));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(STATUS)) {
                s.setObject(1, event.orderId());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new UnknownOrderException(event.orderId());
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * What {@link #startAll} found for one message: the attempt it started ({@code item}, null when none), else
     * the order's status ({@code status}: PROCESSED or FAILED for a duplicate, PENDING or PROCESSING when another
     * worker holds it; null with no item when the order does not exist).
     */
    public record Start(OrderEvent event, WorkItem item, OrderStatus status) {
        public boolean unknownOrder() {
            return item == null && status == null;
        }
    }

    /**
     * Message transports, a batch at a time: starts the orders the events name, in one statement (see
     * {@link #start} for the guard). One {@link Start} per event, in order.
     */
    public List<Start> startAll(List<OrderEvent> events, Duration leaseTimeout, int maxAttempts) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Start> starts = new ArrayList<>(events.size());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(START_ALL)) {
            Jdbc.setParams(s, Jdbc.uuidArray(c, events.stream().map(OrderEvent::orderId).toList()), workerId,
                    leaseTimeout.toSeconds(), maxAttempts);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    OrderEvent event = events.get(rs.getInt(1) - 1);
                    int attempt = rs.getInt(2);
                    WorkItem item = rs.wasNull() ? null : new WorkItem(event.eventId(), event.orderId(),
                            event.correlationId(), attempt, event.traceparent());
                    String status = rs.getString(3);
                    starts.add(new Start(event, item, status == null ? null : OrderStatus.valueOf(status)));
                }
            }
        }
        return starts;
    }

    /** The current status of an order, if it exists. */
    public Optional<OrderStatus> status(UUID orderId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(STATUS)) {
            s.setObject(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(OrderStatus.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Completes a batch of successful attempts in one statement; returns the orders completed, each with
     * its time from intake to completion in seconds.
     */
    public Map<UUID, Double> complete(List<WorkItem> items) throws SQLException {
        if (items.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(COMPLETE)) {
            Jdbc.setParams(s,
                    Jdbc.uuidArray(c, items.stream().map(WorkItem::orderId).toList()),
                    Jdbc.intArray(c, items.stream().map(WorkItem::attempt).toList()),
                    Jdbc.bigintArray(c, items.stream().map(WorkItem::eventId).toList()),
                    workerId, workerId);
            Map<UUID, Double> done = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    done.put(rs.getObject(1, UUID.class), rs.getDouble(2));
                }
            }
            return done;
        }
    }

    /** Schedules the next attempt after {@code delay}; false when this worker no longer holds the order. */
    public boolean retry(WorkItem item, Duration delay, String reason) throws SQLException {
        double seconds = delay.toMillis() / 1000.0;
        return singleCount(RETRY, reason, item.orderId(), workerId, item.attempt(), workerId,
                seconds, item.eventId(), workerId) == 1;
    }

    /**
     * Marks the order FAILED and writes its DLQ entry; returns its time from intake in seconds, or empty
     * when this worker no longer holds the order.
     */
    public Optional<Double> deadLetter(WorkItem item, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(DEAD_LETTER)) {
            Jdbc.setParams(s, reason, item.orderId(), workerId, item.attempt(), workerId, reason, item.eventId(), workerId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getDouble(1)) : Optional.empty();
            }
        }
    }

    /** Returns stale locks and leases; the counts are events released, orders retried, orders failed. */
    public int[] recoverStale(Duration lockTimeout, int maxAttempts) throws SQLException {
        long secs = lockTimeout.toSeconds();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RECOVER_STALE)) {
            Jdbc.setParams(s, secs, secs, maxAttempts, secs, maxAttempts);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)};
            }
        }
    }

    private long singleCount(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            Jdbc.setParams(s, params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
