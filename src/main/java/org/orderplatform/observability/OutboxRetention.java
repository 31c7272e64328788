package org.orderplatform.observability;

import org.orderplatform.infra.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes outbox rows that were processed or relayed longer ago than the retention, in bounded batches
 * (each its own short statement, SKIP LOCKED), so the table does not grow for ever and the cleanup never
 * waits on, or blocks, intake and claims. Orders and their audit trail are kept.
 */
public class OutboxRetention {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRetention.class);

    private static final String DELETE_BATCH = """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox
                 WHERE status = 'DONE' AND done_at < now() - make_interval(secs => ?)
                 ORDER BY id
                 LIMIT ?
                 FOR UPDATE SKIP LOCKED)""";

    private final DataSource dataSource;
    private final Duration retention;
    private final int batchSize;
    private final int maxBatchesPerRun;

    public OutboxRetention(DataSource dataSource, Duration retention, int batchSize, int maxBatchesPerRun) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.batchSize = batchSize;
        this.maxBatchesPerRun = maxBatchesPerRun;
    }

    /** One run: batches until a batch comes back short or the per-run bound is reached. */
    public int purge() throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(DELETE_BATCH)) {
            for (int batch = 0; batch < maxBatchesPerRun; batch++) {
                Jdbc.setParams(s, retention.toSeconds(), batchSize);
                int deleted = s.executeUpdate();
                total += deleted;
                if (deleted < batchSize) {
                    break;
                }
            }
        }
        if (total > 0) {
            LOG.info("Outbox retention: deleted {} rows done more than {} ago", total, retention);
        }
        return total;
    }
}
