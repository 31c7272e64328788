package org.orderplatform.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The database concern: the embedded PostgreSQL unless orders.db.url is set, the connection pool with every wait
 * bounded, the migrations, and this process's worker id (the name its leases carry). Binds {@code dataSource}
 * and {@code workerId}. Composed first: the embedded database is the first service added, so it stops last.
 */
public final class DatabaseConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        // off on AWS: a task must fail rather than keep orders on its own disk
        HikariDataSource dataSource = dataSource(context, settings, settings.flag("orders.embedded.enabled"));
        if (settings.flag("orders.db.migrate")) {
            Schema.migrate(dataSource);
        } else {
            Schema.checkMigrated(dataSource);
        }
        context.getRegistry().bind("dataSource", dataSource);
        String workerId = settings.optional("orders.worker.id").orElseGet(DatabaseConfiguration::newWorkerId);
        LOG.info("Worker id {}", workerId);
        context.getRegistry().bind("workerId", workerId);
    }

    private static HikariDataSource dataSource(CamelContext context, Settings settings, boolean embeddedEnabled)
            throws Exception {
        String url = settings.optional("orders.db.url").orElse(null);
        if (url == null && !embeddedEnabled) {
            throw new IllegalStateException("orders.db.url (ORDERS_DB_URL) is empty and orders.embedded.enabled=false: "
                    + "set it to the database's JDBC URL (jdbc:postgresql://<host>:5432/<database>); no embedded "
                    + "PostgreSQL is started in its place");
        }
        if (url == null) {
            EmbeddedServers.requirePostgres();
            EmbeddedDatabase embedded = new EmbeddedDatabase(
                    Path.of(settings.string("orders.db.embedded.data-dir")),
                    settings.integer("orders.db.embedded.port", 1, 65535));
            url = embedded.startAndGetJdbcUrl();
            // added first so that it stops last, after the routes and the pool
            context.addService(embedded, true, true);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("orders-db");
        config.setJdbcUrl(url);
        config.setUsername(settings.optional("orders.db.username").orElse("postgres"));
        settings.optional("orders.db.password").ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.integer("orders.db.pool-size", 1, 1000));
        config.setConnectionTimeout(settings.longValue("orders.db.connection-timeout-ms", 250));
        config.setInitializationFailTimeout(settings.longValue("orders.db.connection-timeout-ms", 250));
        // a partition leaves connections open and silent: every wait is bounded (docs/configuration.md)
        config.setValidationTimeout(settings.longValue("orders.db.validation-timeout-ms", 250));
        config.setKeepaliveTime(settings.longValue("orders.db.keepalive-time-ms", 0));
        config.setMaxLifetime(settings.longValue("orders.db.max-lifetime-ms", 30_000));
        DatabaseTimeouts timeouts = DatabaseTimeouts.of(settings);
        timeouts.driverProperties().forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        if (timeouts.statementTimeoutMs() > 0) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + timeouts.statementTimeoutMs());
        }
        config.addDataSourceProperty("ApplicationName", "order-platform");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource dataSource = new HikariDataSource(config);
        // closed when Camel stops, before the embedded database goes away
        Closing.onStop(context, dataSource);
        return dataSource;
    }

    /** host, pid and a random suffix: unique per process, so that leases can tell workers apart. */
    private static String newWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
