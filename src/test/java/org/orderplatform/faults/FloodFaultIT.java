package org.orderplatform.faults;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flood: 200 concurrent connections post orders for 30 s to one process with a 512 MB heap. Every
 * answer is a 202 or a fast refusal (503/429), never another status; the heap stays within its maximum
 * (no OutOfMemoryError, the process lives); the service answers normally right after; and every order
 * it accepted is processed.
 */
class FloodFaultIT extends FaultTestSupport {
    private static final int CONNECTIONS = 200;
    private static final Duration FLOOD = Duration.ofSeconds(30);

    @Test
    void two_hundred_connections_for_thirty_seconds_degrade_into_fast_answers_not_memory_growth() throws Exception {
        String test = "flood";
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> props = AppProcess.defaults(pg.jdbcUrl(), "all", "outbox");
        AppProcess app = own(AppProcess.start(test, "all", props)).awaitReady();

        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong transportErrors = new AtomicLong();
        Instant end = Instant.now().plus(FLOOD);
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            running.add(clients.submit(() -> {
                // one client per thread: one connection each, as 200 separate callers would hold
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/orders"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Http.VALID_ORDER)).build();
                while (Instant.now().isBefore(end)) {
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    } catch (Exception e) {
                        transportErrors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();

        long accepted = statuses.getOrDefault(202, new AtomicLong()).get();
        System.out.printf("FIGURES flood: connections=%d seconds=%d answers=%s transport-errors=%d%n",
                CONNECTIONS, FLOOD.toSeconds(), statuses, transportErrors.get());
        assertThat(statuses.keySet()).as("every answer is an acceptance or a fast refusal").isSubsetOf(202, 429, 503);
        assertThat(accepted).isPositive();
        assertThat(app.isAlive()).isTrue();
        assertThat(app.logLines()).noneMatch(l -> l.contains("OutOfMemoryError"));

        // right after: normal answers, and the heap within its maximum
        Http http = new Http(app.baseUrl());
        String id = http.createOrder();
        assertThat(http.get("/orders/" + id).status()).isEqualTo(200);
        String metrics = new Http(app.managementUrl()).get("/observe/metrics").body();
        double used = sum(metrics, "jvm_memory_used_bytes", "heap");
        double max = 512.0 * 1024 * 1024;
        System.out.printf("FIGURES flood: heap used after the flood %.0f MiB of %.0f MiB%n", used / 1048576, max / 1048576);
        assertThat(used).isPositive().isLessThanOrEqualTo(max);

        // nothing accepted is lost
        await().atMost(Duration.ofMinutes(3)).until(() ->
                db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") == accepted + 1);
        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(accepted + 1);
    }

    private static double sum(String scrape, String name, String area) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*area=\"" + area + "\"[^}]*} (\\S+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
