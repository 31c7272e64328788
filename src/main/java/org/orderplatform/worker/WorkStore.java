package org.orderplatform.worker;

import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.infra.Jdbc;
import org.orderplatform.infra.SqlStatement;

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
 * Guarantees: every transition names its expected status (the statements are the state machine, see
 * docs/architecture.md "SQL and the state machine"), and every finishing update also names this worker and the attempt number. A worker that lost its lease
 * (it stalled and {@link #recoverStale} handed the order to another) finishes nothing: its update matches
 * no row. A duplicate event finds the order in another state and starts nothing.
 */
public class WorkStore {

    // the statements, one file each in src/main/resources/sql/ (see SqlStatement); each names its transition
    private static final SqlStatement CLAIM_OUTBOX = SqlStatement.load("claim-outbox");
    private static final SqlStatement DISCARD_EVENTS = SqlStatement.load("discard-events");
    private static final SqlStatement START = SqlStatement.load("start-order");
    private static final SqlStatement START_ALL = SqlStatement.load("start-orders");
    private static final SqlStatement STATUS = SqlStatement.load("order-status");
    private static final SqlStatement COMPLETE = SqlStatement.load("complete-orders");
    private static final SqlStatement RETRY = SqlStatement.load("retry-order");
    private static final SqlStatement DEAD_LETTER = SqlStatement.load("dead-letter-order");
    private static final SqlStatement RECOVER_STALE = SqlStatement.load("recover-stale-locks");

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
            try (PreparedStatement s = CLAIM_OUTBOX.prepare(c)) {
                CLAIM_OUTBOX.bind(s, limit, workerId);
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
                try (PreparedStatement s = DISCARD_EVENTS.prepare(c)) {
                    DISCARD_EVENTS.bind(s, Jdbc.bigintArray(c, discarded), workerId);
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
            try (PreparedStatement s = START.prepare(c)) {
                START.bind(s, workerId, event.orderId(), leaseTimeout.toSeconds(), maxAttempts);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(new WorkItem(event.eventId(), event.orderId(), event.correlationId(), rs.getInt(1),
                                event.traceparent()));
                    }
                }
            }
            try (PreparedStatement s = STATUS.prepare(c)) {
                STATUS.bind(s, event.orderId());
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = START_ALL.prepare(c)) {
            START_ALL.bind(s, Jdbc.uuidArray(c, events.stream().map(OrderEvent::orderId).toList()), workerId,
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = STATUS.prepare(c)) {
            STATUS.bind(s, orderId);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = COMPLETE.prepare(c)) {
            COMPLETE.bind(s,
                    Jdbc.uuidArray(c, items.stream().map(WorkItem::orderId).toList()),
                    Jdbc.intArray(c, items.stream().map(WorkItem::attempt).toList()),
                    Jdbc.bigintArray(c, items.stream().map(WorkItem::eventId).toList()),
                    workerId);
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
        return singleCount(RETRY, reason, item.orderId(), workerId, item.attempt(), seconds, item.eventId()) == 1;
    }

    /**
     * Marks the order FAILED and writes its DLQ entry; returns its time from intake in seconds, or empty
     * when this worker no longer holds the order.
     */
    public Optional<Double> deadLetter(WorkItem item, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = DEAD_LETTER.prepare(c)) {
            DEAD_LETTER.bind(s, reason, item.orderId(), workerId, item.attempt(), item.eventId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getDouble(1)) : Optional.empty();
            }
        }
    }

    /** Returns stale locks and leases; the counts are events released, orders retried, orders failed. */
    public int[] recoverStale(Duration lockTimeout, int maxAttempts) throws SQLException {
        long secs = lockTimeout.toSeconds();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = RECOVER_STALE.prepare(c)) {
            RECOVER_STALE.bind(s, secs, maxAttempts);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)};
            }
        }
    }

    private long singleCount(SqlStatement sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = sql.prepare(c)) {
            sql.bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
