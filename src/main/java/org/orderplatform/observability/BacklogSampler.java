package org.orderplatform.observability;

import org.orderplatform.infra.SqlStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Samples the outbox backlog and the DLQ size for the gauges, on a timer rather than on every scrape,
 * so that scrapes never load the database. Each count is served by a partial index.
 */
public class BacklogSampler {
    private static final SqlStatement SAMPLE = SqlStatement.load("sample-backlog");

    private final DataSource dataSource;
    private final OrderMetrics metrics;

    public BacklogSampler(DataSource dataSource, OrderMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    public void sample() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = SAMPLE.prepare(c);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            metrics.backlog(rs.getLong("ready"), rs.getLong("locked"), rs.getLong("oldest_ms"), rs.getLong("dlq"));
        }
    }
}
