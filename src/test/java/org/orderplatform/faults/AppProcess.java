package org.orderplatform.faults;

import org.orderplatform.support.Platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One process of the service, started from the packaged jar exactly as an operator starts it
 * ({@code java -Xmx512m -jar target/order-platform.jar -Dkey=value...}), its output in a log file under
 * target/faults/. It can be killed ({@code kill -9}), terminated (SIGTERM) and is always stopped by
 * {@link #close()}.
 */
final class AppProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "order-platform.jar").toAbsolutePath();
    /** How often a polling route may report an ongoing failure (orders.poll.report-interval-ms). */
    static final long REPORT_INTERVAL_MS = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> properties;
    private final Path log;
    private final int port;
    private Process process;

    private AppProcess(String name, Map<String, String> properties, Path log) {
        this.name = name;
        this.properties = properties;
        this.log = log;
        this.port = Integer.parseInt(properties.get("camel.server.port"));
    }

    /**
     * The test properties of {@link Platform#defaults} (the one table), with the role and transport, and what a fault
     * test needs beyond them: short leases (so that a crash is recovered within seconds), slower polls, recovery and
     * backoffs than the in-JVM tests (several JVMs share two cores here), the SQS timings of an outage.
     */
    static Map<String, String> defaults(String jdbcUrl, String role, String transport) {
        Map<String, String> p = Platform.defaults(jdbcUrl);
        p.put("orders.role", role);
        p.put("orders.transport", transport);
        p.put("orders.outbox.poll-interval-ms", "50");
        p.put("orders.outbox.lock-timeout-seconds", "10");
        p.put("orders.outbox.recovery-interval-ms", "1000");
        p.put("orders.retry.initial-delay-ms", "200");
        p.put("orders.redelivery.delay-ms", "50");
        p.put("orders.sqs.visibility-timeout-seconds", "10");
        p.put("orders.sqs.wait-time-seconds", "1");
        p.put("orders.sqs.relay-interval-ms", "50");
        p.put("orders.poll.report-interval-ms", String.valueOf(REPORT_INTERVAL_MS));
        // an SQS that lost messages: orders are sent again after 15 s (> visibility 10 s + longest backoff 2 s)
        p.put("orders.sqs.redrive-after-seconds", "15");
        p.put("orders.sqs.redrive-interval-ms", "2000");
        return p;
    }

    /** On sqs: the api embeds ElasticMQ on a free port and every worker reaches it there. */
    @SafeVarargs
    static void shareEmbeddedSqs(String transport, Map<String, String> api, Map<String, String>... workers) {
        if (!transport.equals("sqs")) {
            return;
        }
        int port = Platform.freePort();
        api.put("orders.sqs.embedded-port", String.valueOf(port));
        for (Map<String, String> worker : workers) {
            worker.put("orders.sqs.endpoint", "http://127.0.0.1:" + port);
        }
    }

    /** Starts the process and waits until its HTTP server answers. */
    static AppProcess start(String testName, String name, Map<String, String> properties) {
        Path log = Path.of("target", "faults", testName, name + ".log").toAbsolutePath();
        AppProcess app = new AppProcess(name, new LinkedHashMap<>(properties), log);
        app.launch();
        return app;
    }

    private void launch() {
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(JAR.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // one line per order transition would drown the logs these tests read
            builder.environment().put("ORDERS_TRANSITIONS_LOG_LEVEL", "WARN");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until the HTTP port answers; fails at once if the process died. */
    AppProcess awaitReady() {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; see " + log);
            }
            try {
                // Vert.x listens before Camel's routes are up and answers its own HTML 404 meanwhile, then
                // HttpServerGuard answers 503 until the context has started: ready is a JSON answer that is
                // not a 503 (the api's 400 for a bad id, or a worker's 404)
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/orders/not-a-uuid"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() != 503
                        && r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Starts all of them, then waits for each (the JVMs boot in parallel). */
    static void awaitAll(AppProcess... apps) {
        for (AppProcess app : apps) {
            app.awaitReady();
        }
    }

    /** The management server (/observe/metrics), on a port of its own. */
    String managementUrl() {
        return "http://127.0.0.1:" + properties.get("camel.management.port");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    /** kill -9: no shutdown hook, no drain, nothing released. */
    void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: Camel's graceful shutdown. Returns whether the process exited within {@code bound}. */
    boolean terminate(Duration bound) {
        process.destroy();
        return waitForExit(bound);
    }

    int exitValue() {
        return process.exitValue();
    }

    private boolean waitForExit(Duration bound) {
        try {
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The lines of its log so far. */
    List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }
}
