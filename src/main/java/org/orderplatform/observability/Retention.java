package org.orderplatform.observability;

import org.orderplatform.infra.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes outbox rows that were processed or relayed longer ago than their retention, and expired
 * idempotency keys, in bounded batches (each its own short statement, SKIP LOCKED), so the tables do not
 * grow for ever and the cleanup never waits on, or blocks, intake and claims. Orders and their audit
 * trail are kept.
 */
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    // the statements, one file each in src/main/resources/sql/ (see SqlStatement)
    private static final SqlStatement DELETE_BATCH = SqlStatement.load("retention-delete-outbox");
    private static final SqlStatement DELETE_KEYS = SqlStatement.load("retention-delete-keys");

    private final DataSource dataSource;
    private final Duration outboxRetention;
    private final Duration keyRetention;
    private final int batchSize;
    private final int maxBatchesPerRun;

    public Retention(DataSource dataSource, Duration outboxRetention, Duration keyRetention, int batchSize,
                     int maxBatchesPerRun) {
        this.dataSource = dataSource;
        this.outboxRetention = outboxRetention;
        this.keyRetention = keyRetention;
        this.batchSize = batchSize;
        this.maxBatchesPerRun = maxBatchesPerRun;
    }

    /** One run over both tables; returns the outbox rows deleted. */
    public int purge() throws SQLException {
        int outbox = purge(DELETE_BATCH, outboxRetention);
        int keys = purge(DELETE_KEYS, keyRetention);
        if (outbox + keys > 0) {
            LOG.info("Retention: deleted {} outbox rows done more than {} ago and {} idempotency keys older than {}",
                    outbox, outboxRetention, keys, keyRetention);
        }
        return outbox;
    }

    /** Batches until one comes back short or the per-run bound is reached. */
    private int purge(SqlStatement sql, Duration age) throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = sql.prepare(c)) {
            for (int batch = 0; batch < maxBatchesPerRun; batch++) {
                sql.bind(s, age.toSeconds(), batchSize);
                int deleted = s.executeUpdate();
                total += deleted;
                if (deleted < batchSize) {
                    break;
                }
            }
        }
        return total;
    }
}
