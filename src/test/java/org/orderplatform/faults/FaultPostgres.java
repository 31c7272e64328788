package org.orderplatform.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL hosted by the test JVM on a fixed data directory under target/ and a fixed port, so
 * that it can be stopped (the outage) and started again on the same data and port while the service's
 * processes keep their configured {@code orders.db.url}.
 */
final class FaultPostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private FaultPostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** A fresh, empty server for one test. */
    static FaultPostgres startFresh(String name) {
        Path dir = Path.of("target", "faults", name, "pgdata").toAbsolutePath();
        deleteRecursively(dir);
        FaultPostgres pg = new FaultPostgres(dir, Platform.freePort());
        pg.start();
        return pg;
    }

    void start() {
        postgres = TestDatabase.start(dataDirectory, port);
    }

    /** Stops the server (fast shutdown: open sessions are terminated), keeping its data. */
    void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() {
        stop();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
