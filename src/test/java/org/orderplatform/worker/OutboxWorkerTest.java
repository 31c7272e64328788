package org.orderplatform.worker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Orders;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox worker against a real PostgreSQL: processing, durable retries, DLQ, reprocess, recovery. */
class OutboxWorkerTest {

    private static Map<String, String> config(Db db, String... overrides) {
        return Platform.defaults(db.url(), overrides);
    }

    private static String status(Db db, String orderId) {
        return new Orders(db).status(orderId);
    }

    private static long completions(Db db, String orderId) {
        return new Orders(db).completions(orderId);
    }

    @Test
    void an_accepted_order_reaches_processed_once() {
        Db db = new Db(TestDatabase.newDatabase("processed"));
        try (Platform platform = Platform.start(config(db))) {
            String id = new Http(platform.baseUrl()).createOrder();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(db, id).equals("PROCESSED"));
            assertThat(completions(db, id)).isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid AND status = 'DONE'", id)).isEqualTo(1);
            var order = new Http(platform.baseUrl()).get("/orders/" + id).json();
            assertThat(order.get("status").asText()).isEqualTo("PROCESSED");
            assertThat(order.get("retryCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void retries_with_growing_backoff_then_dead_letters_and_reprocess_completes_it() {
        Db db = new Db(TestDatabase.newDatabase("retries"));
        String id;
        try (Platform platform = Platform.start(config(db,
                "orders.processing.failure-probability", "1.0",
                "orders.retry.max-attempts", "3",
                "orders.retry.initial-delay-ms", "300",
                "orders.retry.multiplier", "3.0"))) {
            Http http = new Http(platform.baseUrl());
            id = http.createOrder("X-Correlation-Id", "retry-test-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> status(db, id).equals("FAILED"));

            List<Map<String, Object>> steps = db.query(
                    "SELECT from_status, to_status, attempt, at FROM order_transitions WHERE order_id = ?::uuid ORDER BY id", id);
            assertThat(steps).extracting(r -> r.get("to_status") + "@" + r.get("attempt"))
                    .containsExactly("PENDING@1", "PENDING@2", "FAILED@3");
            long firstGap = gapMillis(steps.get(0), steps.get(1));
            long secondGap = gapMillis(steps.get(1), steps.get(2));
            assertThat(firstGap).as("backoff after attempt 1").isGreaterThanOrEqualTo(300);
            assertThat(secondGap).as("backoff after attempt 2").isGreaterThanOrEqualTo(900).isGreaterThan(firstGap);

            var dlq = http.get("/dlq").json();
            assertThat(dlq).hasSize(1);
            assertThat(dlq.get(0).get("orderId").asText()).isEqualTo(id);
            assertThat(dlq.get(0).get("retryCount").asInt()).isEqualTo(3);
            assertThat(dlq.get(0).get("correlationId").asText()).isEqualTo("retry-test-1");
            assertThat(dlq.get(0).get("reason").asText()).contains("simulated processing failure");
            assertThat(http.get("/orders/" + id).json().get("failureReason").asText()).contains("simulated");
        }
        // the failure is fixed: a healthy worker, and an operator reprocesses the order
        try (Platform platform = Platform.start(config(db))) {
            Http http = new Http(platform.baseUrl());
            var response = http.post("/dlq/" + id + "/reprocess", null, null);
            assertThat(response.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(db, id).equals("PROCESSED"));
            assertThat(completions(db, id)).isEqualTo(1);
            assertThat(http.get("/dlq").json()).isEmpty();
            assertThat(http.get("/orders/" + id).json().get("retryCount").asInt()).isEqualTo(1);
            // a second reprocess finds no DLQ entry
            assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(404);
        }
    }

    /** One order accepted by an api, then claimed an hour ago by 'dead-worker' for attempt {@code attempt}. */
    private static String orderHeldByADeadWorker(Db db, int attempt) {
        String id;
        try (Platform api = Platform.start(config(db, "orders.role", "api"))) {
            id = new Http(api.baseUrl()).createOrder();
        }
        db.update("UPDATE outbox SET status = 'LOCKED', locked_by = 'dead-worker', locked_at = now() - interval '1 hour'");
        db.update("UPDATE orders SET status = 'PROCESSING', retry_count = ?, locked_by = 'dead-worker',"
                + " locked_at = now() - interval '1 hour'", attempt);
        return id;
    }

    @Test
    void a_stale_lock_from_a_crashed_worker_is_recovered_and_the_late_worker_cannot_finish() throws Exception {
        Db db = new Db(TestDatabase.newDatabase("stale"));
        // a worker claimed it an hour ago and died
        String id = orderHeldByADeadWorker(db, 1);
        try (Platform worker = Platform.start(config(db, "orders.role", "worker", "orders.outbox.lock-timeout-seconds", "5"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> status(db, id).equals("PROCESSED"));
        }
        var order = db.query("SELECT retry_count FROM orders WHERE id = ?::uuid", id).get(0);
        assertThat(order.get("retry_count")).as("the lost attempt counts").isEqualTo(2);
        assertThat(completions(db, id)).isEqualTo(1);

        // the dead worker wakes up and tries to finish its attempt: fenced out
        WorkStore late = new WorkStore(new org.postgresql.ds.PGSimpleDataSource() {{
            setURL(db.url());
            setUser("postgres");
        }}, "dead-worker");
        WorkItem stale = new WorkItem(1, UUID.fromString(id), "cid", 1);
        assertThat(late.complete(List.of(stale))).isEmpty();
        assertThat(late.retry(stale, Duration.ofSeconds(1), "late")).isFalse();
        assertThat(late.deadLetter(stale, "late")).isEmpty();
        assertThat(status(db, id)).isEqualTo("PROCESSED");
        assertThat(completions(db, id)).isEqualTo(1);
    }

    @Test
    void a_stale_lock_on_the_last_attempt_dead_letters_the_order_and_counts_it_as_failed() {
        Db db = new Db(TestDatabase.newDatabase("stale_last"));
        // a worker died during the third and last attempt (orders.retry.max-attempts=3)
        String id = orderHeldByADeadWorker(db, 3);
        try (Platform worker = Platform.start(config(db, "orders.role", "worker", "orders.retry.max-attempts", "3"))) {
            Http management = new Http(worker.managementUrl());
            await().atMost(Duration.ofSeconds(20)).until(() -> status(db, id).equals("FAILED")
                    && Pattern.compile("(?m)^orders_failed_total\\{[^}]*} 1\\.0$").matcher(management.get("/observe/metrics").body()).find());
        }
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", id)).isEqualTo(1);
        assertThat(completions(db, id)).isZero();
    }

    /**
     * Issue 13 item 10: a message transport's START takes over an expired lease. On the last attempt that
     * would be attempt max-attempts + 1; it must leave the order to stale-lock recovery (FAILED + DLQ).
     */
    @Test
    void a_takeover_never_runs_more_attempts_than_max_attempts() throws Exception {
        Db db = new Db(TestDatabase.newDatabase("takeover_last"));
        // a worker died during the third and last attempt (max-attempts 3); its message came back
        String id = orderHeldByADeadWorker(db, 3);
        long eventId = db.count("SELECT id FROM outbox WHERE order_id = ?::uuid", id);
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(db.url());
        dataSource.setUser("postgres");
        WorkStore second = new WorkStore(dataSource, "second-worker");
        org.orderplatform.domain.OrderEvent event =
                new org.orderplatform.domain.OrderEvent(eventId, "OrderCreated", UUID.fromString(id), "cid");

        assertThat(second.start(event, Duration.ofSeconds(5), 3)).as("no fourth attempt").isEmpty();
        assertThat(db.count("SELECT retry_count FROM orders WHERE id = ?::uuid", id)).isEqualTo(3);
        assertThat(second.recoverStale(Duration.ofSeconds(5), 3)[2]).as("dead-lettered by recovery").isEqualTo(1);
        assertThat(status(db, id)).isEqualTo("FAILED");
        assertThat(db.count("SELECT retry_count FROM dlq WHERE order_id = ?::uuid", id)).isEqualTo(3);
        assertThat(second.start(event, Duration.ofSeconds(5), 3)).as("a FAILED order starts nothing").isEmpty();
        assertThat(db.count("SELECT coalesce(max(attempt), 0) FROM order_transitions WHERE order_id = ?::uuid", id))
                .isLessThanOrEqualTo(3);

        // with attempts left, the expired lease is still taken over, as the next attempt
        Db left = new Db(TestDatabase.newDatabase("takeover_left"));
        String other = orderHeldByADeadWorker(left, 2);
        long otherEvent = left.count("SELECT id FROM outbox WHERE order_id = ?::uuid", other);
        dataSource.setURL(left.url());
        var taken = second.start(new org.orderplatform.domain.OrderEvent(otherEvent, "OrderCreated",
                UUID.fromString(other), "cid"), Duration.ofSeconds(5), 3);
        assertThat(taken).isPresent();
        assertThat(taken.get().attempt()).isEqualTo(3);
    }

    @Test
    void two_workers_complete_each_of_2000_orders_exactly_once() throws Exception {
        Db db = new Db(TestDatabase.newDatabase("two_workers"));
        int orders = 2000;
        try (Platform api = Platform.start(config(db, "orders.role", "api"))) {
            Http http = new Http(api.baseUrl());
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                ids.add(clients.submit(() -> http.createOrder()));
            }
            for (Future<String> f : ids) {
                f.get();
            }
            clients.shutdown();
        }
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PENDING'")).isEqualTo(orders);
        try (Platform w1 = Platform.start(config(db, "orders.role", "worker", "orders.outbox.batch-size", "20"));
             Platform w2 = Platform.start(config(db, "orders.role", "worker", "orders.outbox.batch-size", "20"))) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") == orders);
        }
        assertThat(new Orders(db).completions()).isEqualTo(orders);
        assertThat(new Orders(db).completedTwice()).isZero();
        assertThat(db.count("SELECT count(DISTINCT worker_id) FROM order_transitions WHERE to_status = 'PROCESSED'"))
                .as("both workers took part").isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE status <> 'DONE'")).isZero();
    }

    @Test
    void the_correlation_id_is_in_the_mdc_of_every_worker_log_line_about_the_order() {
        Db db = new Db(TestDatabase.newDatabase("correlation"));
        try (LogCapture logs = new LogCapture();
             Platform platform = Platform.start(config(db,
                     "orders.processing.failure-probability", "1.0", "orders.retry.max-attempts", "2"))) {
            String id = new Http(platform.baseUrl()).createOrder("X-Correlation-Id", "trace-me-42");
            await().atMost(Duration.ofSeconds(20)).until(() -> status(db, id).equals("FAILED"));
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.mentioning(id).size() >= 4);
            List<ILoggingEvent> lines = logs.mentioning(id);
            // attempt 1 start and retry, attempt 2 start and dead-letter
            assertThat(lines).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.contains("attempt 1: PROCESSING"))
                    .anyMatch(m -> m.contains("attempt 1: PENDING"))
                    .anyMatch(m -> m.contains("attempt 2: FAILED"));
            assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "trace-me-42"));
        }
    }

    private static long gapMillis(Map<String, Object> earlier, Map<String, Object> later) {
        return ((Timestamp) later.get("at")).getTime() - ((Timestamp) earlier.get("at")).getTime();
    }
}
