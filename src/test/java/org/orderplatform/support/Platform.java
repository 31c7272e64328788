package org.orderplatform.support;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.orderplatform.OrderPlatformApplication;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real application, booted in this JVM exactly as {@code java -jar} boots it (same Main, same
 * configuration, same route selection), with property overrides. Close it to stop it.
 */
public final class Platform implements AutoCloseable {
    private final Main main;
    private final Thread thread;
    private final int port;
    private final int managementPort;

    private Platform(Main main, Thread thread, int port, int managementPort) {
        this.main = main;
        this.thread = thread;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Test defaults: fast polling and backoff, a free HTTP port; {@code overrides} win. */
    public static Map<String, String> defaults(String jdbcUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("orders.db.url", jdbcUrl);
        p.put("orders.admin.token", Http.ADMIN_TOKEN);
        p.put("camel.server.port", String.valueOf(freePort()));
        // management (metrics, info) has a port of its own: a free one too, so that processes never share it
        p.put("camel.management.port", String.valueOf(freePort()));
        p.put("orders.outbox.poll-interval-ms", "20");
        p.put("orders.outbox.recovery-interval-ms", "200");
        p.put("orders.retry.initial-delay-ms", "100");
        p.put("orders.retry.max-delay-ms", "2000");
        p.put("orders.redelivery.delay-ms", "10");
        return p;
    }

    /** {@link #defaults(String)} with {@code overrides} as key, value, key, value... */
    public static Map<String, String> defaults(String jdbcUrl, String... overrides) {
        Map<String, String> p = defaults(jdbcUrl);
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    public static Platform start(Map<String, String> properties) {
        return start(properties, Map.of());
    }

    /** With {@code beans} bound in the registry before the application configures itself (test doubles). */
    public static Platform start(Map<String, String> properties, Map<String, Object> beans) {
        Main main = OrderPlatformApplication.create();
        beans.forEach(main::bind);
        Properties overrides = new Properties();
        overrides.putAll(properties);
        main.setOverrideProperties(overrides);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "platform-" + properties.getOrDefault("orders.role", "all"));
        thread.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            CamelContext context = main.getCamelContext();
            if (failure.get() != null) {
                throw new IllegalStateException("platform failed to start: " + failure.get().getMessage(), failure.get());
            }
            if (context != null && context.getStatus() == ServiceStatus.Started) {
                return new Platform(main, thread, Integer.parseInt(properties.get("camel.server.port")),
                        Integer.parseInt(properties.getOrDefault("camel.management.port", "9876")));
            }
            if (!thread.isAlive()) {
                throw new IllegalStateException("platform stopped during start-up");
            }
            sleep(50);
        }
        throw new IllegalStateException("platform did not start within 90 s");
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The management server: /observe/metrics, /observe/info and the detailed /observe/health. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public void close() {
        main.completed();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
