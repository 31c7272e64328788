package org.orderplatform.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run (started on first use, stopped when the JVM exits); each
 * test class gets a database of its own from {@link #newDatabase(String)}. {@link #start(Path, int)} is the one way
 * tests start a PostgreSQL server, this one and the fault tests' servers that are stopped and started again.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public static synchronized String newDatabase(String hint) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + COUNTER.incrementAndGet()).toLowerCase();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            postgres = start(null, 0);
        }
        return postgres;
    }

    /**
     * Starts a PostgreSQL server for tests: in {@code dataDirectory}, kept as it is (null: a fresh temporary one),
     * on {@code port} (0: a free one). fsync is off: the tests crash the service, never this server.
     */
    public static EmbeddedPostgres start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory.getParent());
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
