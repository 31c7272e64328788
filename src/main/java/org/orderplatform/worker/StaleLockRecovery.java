package org.orderplatform.worker;

import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.observability.OrderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;

/** Takes back events and order leases held longer than the lock timeout (their worker or relay died). */
public class StaleLockRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StaleLockRecovery.class);

    private final WorkStore store;
    private final Duration lockTimeout;
    private final RetryPolicy retryPolicy;
    private final OrderMetrics metrics;

    public StaleLockRecovery(WorkStore store, Duration lockTimeout, RetryPolicy retryPolicy, OrderMetrics metrics) {
        this.store = store;
        this.lockTimeout = lockTimeout;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
    }

    public void recover() throws SQLException {
        int[] counts = store.recoverStale(lockTimeout, retryPolicy.maxAttempts());
        // an expired lease on the last attempt ends the order in the DLQ, as a failed last attempt does
        metrics.deadLetteredByRecovery(counts[2]);
        if (counts[0] + counts[1] + counts[2] > 0) {
            LOG.warn("Stale-lock recovery: {} events released, {} orders back to PENDING, {} orders dead-lettered "
                    + "(locks older than {} s)", counts[0], counts[1], counts[2], lockTimeout.toSeconds());
        }
    }
}
