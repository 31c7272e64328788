package org.orderplatform.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        FaultPostgres pg = new FaultPostgres(dir, AppProcess.freePort());
        pg.start();
        return pg;
    }

    void start() {
        try {
            Files.createDirectories(dataDirectory.getParent());
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    // the server itself is never crashed in these tests: no need to pay for fsync
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
