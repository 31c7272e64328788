package org.orderplatform.transport.inprocess;

import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.SqlStatement;
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

    // the statements, one file each in src/main/resources/sql/ (see SqlStatement)
    private static final SqlStatement RELEASE_ORPHANS = SqlStatement.load("inprocess-release-orphans");
    private static final SqlStatement DUE = SqlStatement.load("inprocess-due-events");

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
                try (PreparedStatement s = RELEASE_ORPHANS.prepare(c)) {
                    RELEASE_ORPHANS.bind(s, workerId, maxAttempts);
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
            try (PreparedStatement s = DUE.prepare(c)) {
                DUE.bind(s, firstRun ? 0 : lockTimeout.toSeconds(), limit);
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
