package org.orderplatform.worker;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Orders;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.support.WithProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox worker against a real PostgreSQL where several processes are the point: a worker that died holding
 * orders and the one that takes over, late workers fenced out, two workers sharing a backlog. The worker that takes
 * over is the application booted with Camel's test support (a worker, started by the test once the dead worker's
 * orders are in place); the previous run's api and the two workers sharing a backlog keep the hand-made harness
 * ({@link Platform}), which runs several applications in one JVM. One application alone: {@link OutboxWorkerTest}.
 */
class OutboxRecoveryTest extends PlatformTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "worker");
    }

    @Override
    public boolean isUseAdviceWith() {
        // started by the tests whose worker takes over, after the arrangement
        return true;
    }

    private static Map<String, String> config(Db db, String... overrides) {
        return Platform.defaults(db.url(), overrides);
    }

    /** One order accepted by an api (a previous run), then claimed an hour ago by 'dead-worker' for attempt {@code attempt}. */
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
    @WithProperties("orders.outbox.lock-timeout-seconds=5")
    void a_stale_lock_from_a_crashed_worker_is_recovered_and_the_late_worker_cannot_finish() throws Exception {
        Orders orders = new Orders(db);
        // a worker claimed it an hour ago and died
        String id = orderHeldByADeadWorker(db, 1);
        context.start();
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        awaitRoute(attempt, Duration.ofSeconds(20));
        orders.awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        context.stop();
        var order = db.query("SELECT retry_count FROM orders WHERE id = ?::uuid", id).get(0);
        assertThat(order.get("retry_count")).as("the lost attempt counts").isEqualTo(2);
        assertThat(orders.completions(id)).isEqualTo(1);

        // the dead worker wakes up and tries to finish its attempt: fenced out
        WorkStore late = new WorkStore(new org.postgresql.ds.PGSimpleDataSource() {{
            setURL(db.url());
            setUser("postgres");
        }}, "dead-worker");
        WorkItem stale = new WorkItem(1, UUID.fromString(id), "cid", 1);
        assertThat(late.complete(List.of(stale))).isEmpty();
        assertThat(late.retry(stale, Duration.ofSeconds(1), "late")).isFalse();
        assertThat(late.deadLetter(stale, "late")).isEmpty();
        assertThat(orders.status(id)).isEqualTo("PROCESSED");
        assertThat(orders.completions(id)).isEqualTo(1);
    }

    /** Recovery dead-letters in its own statement (no direct:dead-lettered): the wait is for its first run. */
    @Test
    @WithProperties("orders.retry.max-attempts=3")
    void a_stale_lock_on_the_last_attempt_dead_letters_the_order_and_counts_it_as_failed() {
        Orders orders = new Orders(db);
        // a worker died during the third and last attempt (orders.retry.max-attempts=3)
        String id = orderHeldByADeadWorker(db, 3);
        context.start();
        // the recovery timer's first run comes after its delay (1 s), after this
        NotifyBuilder recovered = new NotifyBuilder(context).fromRoute("stale-lock-recovery").whenDone(1).create();
        awaitRoute(recovered, Duration.ofSeconds(20));
        assertThat(orders.status(id)).isEqualTo("FAILED");
        assertThat(new Http(managementUrl()).get("/observe/metrics").body())
                .containsPattern("(?m)^orders_failed_total\\{[^}]*} 1\\.0$");
        context.stop();
        assertThat(orders.dlqEntries(id)).isEqualTo(1);
        assertThat(orders.completions(id)).isZero();
    }

    /**
     * Issue 13 item 10: a message transport's START takes over an expired lease. On the last attempt that
     * would be attempt max-attempts + 1; it must leave the order to stale-lock recovery (FAILED + DLQ).
     */
    @Test
    void a_takeover_never_runs_more_attempts_than_max_attempts() throws Exception {
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
        assertThat(new Orders(db).status(id)).isEqualTo("FAILED");
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
}
