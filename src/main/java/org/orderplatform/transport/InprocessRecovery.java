package org.orderplatform.transport;

import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.Jdbc;
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
 * orders a previous run left in PROCESSING go back to PENDING (their attempt counts), and every PENDING
 * order is queued again; afterwards, PENDING orders whose event has been due for longer than the lock
 * timeout (an event lost, or a lease recovered) are queued again. Duplicates are harmless: the worker's
 * start is guarded by the order's status.
 */
public class InprocessRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(InprocessRecovery.class);

    private static final String RELEASE_ORPHANS = """
            WITH released AS (
                UPDATE orders
                   SET status = 'PENDING', failure_reason = 'worker stopped during processing', locked_by = NULL,
                       locked_at = NULL, updated_at = now()
                 WHERE status = 'PROCESSING' AND locked_by IS DISTINCT FROM ?
                RETURNING id, retry_count)
            INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id)
            SELECT id, 'PROCESSING', 'PENDING', retry_count, 'inprocess-recovery' FROM released""";

    private static final String DUE = """
            SELECT DISTINCT ON (o.id) e.id, e.event_type, o.id, o.correlation_id
              FROM orders o JOIN outbox e ON e.order_id = o.id AND e.status <> 'DONE'
             WHERE o.status = 'PENDING' AND e.next_attempt_at <= now() - make_interval(secs => ?)
             ORDER BY o.id, e.id DESC
             LIMIT ?""";

    private final DataSource dataSource;
    private final String workerId;
    private final Duration lockTimeout;
    private final int limit;
    private volatile boolean started;

    public InprocessRecovery(DataSource dataSource, String workerId, Duration lockTimeout, int limit) {
        this.dataSource = dataSource;
        this.workerId = workerId;
        this.lockTimeout = lockTimeout;
        this.limit = limit;
    }

    /** Events to queue again: all pending orders on the first call, then those stranded for a while. */
    public List<OrderEvent> strandedEvents() throws SQLException {
        boolean firstRun = !started;
        try (Connection c = dataSource.getConnection()) {
            if (firstRun) {
                try (PreparedStatement s = c.prepareStatement(RELEASE_ORPHANS)) {
                    s.setString(1, workerId);
                    int released = s.executeUpdate();
                    if (released > 0) {
                        LOG.warn("{} orders were PROCESSING when the previous run stopped: back to PENDING", released);
                    }
                }
            }
            List<OrderEvent> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(DUE)) {
                Jdbc.setParams(s, firstRun ? 0 : lockTimeout.toSeconds(), limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events.add(new OrderEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4)));
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
