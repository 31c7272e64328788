package org.orderplatform.transport;

import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.Jdbc;
import org.orderplatform.observability.OrderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The inprocess transport keeps events in memory, so the database tells what they were. At start-up,
 * orders a previous run left in PROCESSING go back to PENDING (their attempt counts) or, when it was their
 * last attempt, to FAILED with a DLQ entry (counted in orders_failed_total, as stale-lock recovery does);
 * then every PENDING order is queued again; afterwards, PENDING orders whose event has been due for longer than the lock
 * timeout (an event lost, or a lease recovered) are queued again. Duplicates are harmless: the worker's
 * start is guarded by the order's status.
 */
public class InprocessRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(InprocessRecovery.class);

    /** The lost attempt counts, as in stale-lock recovery: PENDING while attempts are left, else FAILED + DLQ. */
    private static final String RELEASE_ORPHANS = """
            WITH released AS (
                UPDATE orders
                   SET status = 'PENDING', failure_reason = 'worker stopped during processing', locked_by = NULL,
                       locked_at = NULL, updated_at = now()
                 WHERE status = 'PROCESSING' AND locked_by IS DISTINCT FROM ? AND retry_count < ?
                RETURNING id, retry_count, failure_reason
            ), failed AS (
                UPDATE orders
                   SET status = 'FAILED', failure_reason = 'worker stopped during the last attempt', locked_by = NULL,
                       locked_at = NULL, updated_at = now()
                 WHERE status = 'PROCESSING' AND locked_by IS DISTINCT FROM ? AND retry_count >= ?
                RETURNING id, retry_count, correlation_id, failure_reason
            ), entry AS (
                INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
                SELECT id, failure_reason, retry_count, correlation_id FROM failed
                ON CONFLICT (order_id) DO NOTHING
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
                SELECT id, 'PROCESSING', 'PENDING', retry_count, 'inprocess-recovery', failure_reason FROM released
                UNION ALL
                SELECT id, 'PROCESSING', 'FAILED', retry_count, 'inprocess-recovery', failure_reason FROM failed
            )
            SELECT (SELECT count(*) FROM released), (SELECT count(*) FROM failed)""";

    private static final String DUE = """
            SELECT DISTINCT ON (o.id) e.id, e.event_type, o.id, o.correlation_id, e.traceparent
              FROM orders o JOIN outbox e ON e.order_id = o.id AND e.status <> 'DONE'
             WHERE o.status = 'PENDING' AND e.next_attempt_at <= now() - make_interval(secs => ?)
             ORDER BY o.id, e.id DESC
             LIMIT ?""";

    private final DataSource dataSource;
    private final String workerId;
    private final Duration lockTimeout;
    private final int limit;
    private final int maxAttempts;
    private final OrderMetrics metrics;
    private volatile boolean started;

    public InprocessRecovery(DataSource dataSource, String workerId, Duration lockTimeout, int limit, int maxAttempts,
                             OrderMetrics metrics) {
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.workerId = workerId;
        this.lockTimeout = lockTimeout;
        this.limit = limit;
        this.maxAttempts = maxAttempts;
    }

    /** Events to queue again: all pending orders on the first call, then those stranded for a while. */
    public List<OrderEvent> strandedEvents() throws SQLException {
        boolean firstRun = !started;
        try (Connection c = dataSource.getConnection()) {
            if (firstRun) {
                try (PreparedStatement s = c.prepareStatement(RELEASE_ORPHANS)) {
                    Jdbc.setParams(s, workerId, maxAttempts, workerId, maxAttempts);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        int released = rs.getInt(1);
                        int failed = rs.getInt(2);
                        // a lost last attempt ends the order in the DLQ, as a failed last attempt does
                        metrics.deadLetteredByRecovery(failed);
                        if (released + failed > 0) {
                            LOG.warn("{} orders were PROCESSING when the previous run stopped: the attempt counts; "
                                    + "{} back to PENDING, {} on their last attempt to FAILED and the DLQ",
                                    released + failed, released, failed);
                        }
                    }
                }
            }
            List<OrderEvent> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(DUE)) {
                Jdbc.setParams(s, firstRun ? 0 : lockTimeout.toSeconds(), limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events.add(new OrderEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            started = true;
            if (!events.isEmpty()) {
                LOG.info("Queueing {} pending orders again", events.size());
            }
            return events;
        }
    }
}
