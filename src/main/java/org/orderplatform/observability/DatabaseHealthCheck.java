package org.orderplatform.observability;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;

/** Readiness: DOWN while the order database cannot be reached (the API would answer 503). */
public class DatabaseHealthCheck extends AbstractHealthCheck {
    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("orders", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection is not valid").down();
            }
        } catch (Exception e) {
            builder.message("database unreachable: " + e.getClass().getSimpleName()).down();
        }
    }
}
