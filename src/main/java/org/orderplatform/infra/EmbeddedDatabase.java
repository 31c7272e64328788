package org.orderplatform.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The default database: a real PostgreSQL (zonky binaries) with its data in a local folder that survives
 * restarts, fsync and synchronous commit on, so that an accepted order is as durable as with any server.
 * <p>
 * It is a Camel service added to the context, so it stops after the routes have drained, not before (its
 * own JVM shutdown hook is off). A postmaster orphaned by a {@code kill -9} of an earlier run still holds
 * the data folder: it is stopped deliberately before this one starts.
 */
public final class EmbeddedDatabase extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    public EmbeddedDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.port = port;
    }

    /** Starts PostgreSQL now (the DataSource and migrations need it before Camel starts). */
    public String startAndGetJdbcUrl() throws IOException {
        Files.createDirectories(dataDirectory.getParent());
        stopOrphanedPostmaster();
        LOG.info("Starting embedded PostgreSQL on port {} with data in {}", port, dataDirectory);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .start();
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    protected void doStop() throws Exception {
        if (postgres != null) {
            LOG.info("Stopping embedded PostgreSQL");
            postgres.close();
            postgres = null;
        }
    }

    private void stopOrphanedPostmaster() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        LOG.warn("An earlier PostgreSQL (pid {}) still runs on {}: stopping it before starting a new one",
                process.pid(), dataDirectory);
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
