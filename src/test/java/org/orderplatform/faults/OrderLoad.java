package org.orderplatform.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients posting orders to one API process from a few threads, bounded in count and in time. Every
 * answer is recorded: the ids of accepted orders (202), and for every other answer its status, whether its
 * body is a proper JSON error, and when it came, so that a test can look at what happened during a fault.
 */
final class OrderLoad implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORDER =
            "{\"customerId\":\"c-%d\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"SKU-%d\",\"quantity\":1,\"unitPrice\":9.99}]}";

    /** One answer (or a failure to get one): when it was sent and received, in ms since the load started. */
    record Outcome(long sentMs, long receivedMs, int status, boolean jsonError, String body, String failure) {
    }

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Queue<String> accepted = new ConcurrentLinkedQueue<>();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tickets = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private OrderLoad(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Starts {@code threads} clients that together post at most {@code total} orders within {@code maxDuration}. */
    static OrderLoad start(String baseUrl, int threads, int total, Duration maxDuration) {
        return start(baseUrl, threads, total, maxDuration, Duration.ZERO);
    }

    /** As above, each client pausing {@code pause} after each answer (a paced load). */
    static OrderLoad start(String baseUrl, int threads, int total, Duration maxDuration, Duration pause) {
        OrderLoad load = new OrderLoad(baseUrl);
        long deadline = System.nanoTime() + maxDuration.toNanos();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> load.run(total, deadline, pause.toMillis()), "order-load-" + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private void run(int total, long deadline, long pauseMs) {
        int n;
        while (!stopped.get() && System.nanoTime() < deadline && (n = tickets.getAndIncrement()) < total) {
            long sent = nowMs();
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(String.format(ORDER, n, n % 97)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = parse(r.body());
                if (r.statusCode() == 202 && json != null && json.hasNonNull("orderId")) {
                    accepted.add(json.get("orderId").asText());
                }
                boolean jsonError = json != null && json.hasNonNull("error") && json.hasNonNull("message");
                outcomes.add(new Outcome(sent, nowMs(), r.statusCode(), jsonError, r.body(), null));
                if (pauseMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(pauseMs);
                }
            } catch (HttpTimeoutException e) {
                outcomes.add(new Outcome(sent, nowMs(), -1, false, null, "timeout"));
            } catch (IOException e) {
                outcomes.add(new Outcome(sent, nowMs(), -1, false, null, e.getClass().getSimpleName()));
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** A refused connection fails at once: do not spin on it. */
    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Waits (bounded) until every client has finished. */
    void awaitFinished(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            throw new AssertionError("load clients still running after " + bound);
        }
    }

    /** Stops sending and waits for the requests in flight. */
    void stop() {
        stopped.set(true);
        awaitFinished(REQUEST_TIMEOUT.plusSeconds(10));
    }

    List<String> accepted() {
        return List.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Count of answers per HTTP status (-1: no answer). */
    Map<Integer, Integer> statusCounts() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Outcome o : outcomes) {
            counts.merge(o.status(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void close() {
        stopped.set(true);
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
