package org.orderplatform.transport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every transport keeps, with the same assertions for each: the business logic does not
 * know which transport carries its events. Subclasses only say which transport to configure.
 */
abstract class TransportContract {

    /** The transport's properties (orders.transport and whatever it needs to run in a test). */
    protected abstract Map<String, String> transport();

    protected Map<String, String> config(Db db, String... overrides) {
        Map<String, String> p = Platform.defaults(db.url());
        p.putAll(transport());
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    protected static String status(Db db, String orderId) {
        return (String) db.query("SELECT status FROM orders WHERE id = ?::uuid", orderId).get(0).get("status");
    }

    protected static long completions(Db db, String orderId) {
        return db.count("SELECT count(*) FROM order_transitions WHERE order_id = ?::uuid AND to_status = 'PROCESSED'", orderId);
    }

    @Test
    void an_order_reaches_processed_with_its_correlation_id_on_the_order_the_event_and_the_worker_logs() {
        Db db = new Db(TestDatabase.newDatabase(getClass().getSimpleName() + "_happy"));
        try (LogCapture logs = new LogCapture(); Platform platform = Platform.start(config(db))) {
            Http http = new Http(platform.baseUrl());
            String id = http.createOrder("X-Correlation-Id", "contract-cid-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> status(db, id).equals("PROCESSED"));

            assertThat(http.get("/orders/" + id).json().get("correlationId").asText()).isEqualTo("contract-cid-1");
            assertThat(db.query("SELECT payload->>'correlationId' AS cid FROM outbox WHERE order_id = ?::uuid", id))
                    .extracting(r -> r.get("cid")).containsOnly("contract-cid-1");
            assertThat(completions(db, id)).isEqualTo(1);
            List<ILoggingEvent> lines = logs.mentioning(id);
            assertThat(lines).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.contains("attempt 1: PROCESSING"))
                    .anyMatch(m -> m.contains("attempt 1: PROCESSED"));
            assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "contract-cid-1"));
        }
    }

    @Test
    void a_failing_order_gets_exactly_max_attempts_then_a_dlq_entry_and_reprocess_completes_it() {
        Db db = new Db(TestDatabase.newDatabase(getClass().getSimpleName() + "_dlq"));
        String id;
        try (Platform platform = Platform.start(config(db,
                "orders.processing.failure-probability", "1.0", "orders.retry.max-attempts", "3"))) {
            Http http = new Http(platform.baseUrl());
            id = http.createOrder("X-Correlation-Id", "contract-dlq");
            await().atMost(Duration.ofSeconds(60)).until(() -> status(db, id).equals("FAILED"));
            assertThat(db.query("SELECT to_status, attempt FROM order_transitions WHERE order_id = ?::uuid ORDER BY id", id))
                    .extracting(r -> r.get("to_status") + "@" + r.get("attempt"))
                    .containsExactly("PENDING@1", "PENDING@2", "FAILED@3");
            var dlq = http.get("/dlq").json();
            assertThat(dlq).hasSize(1);
            assertThat(dlq.get(0).get("retryCount").asInt()).isEqualTo(3);
            assertThat(dlq.get(0).get("correlationId").asText()).isEqualTo("contract-dlq");
        }
        try (Platform platform = Platform.start(config(db))) {
            Http http = new Http(platform.baseUrl());
            assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(db, id).equals("PROCESSED"));
            assertThat(completions(db, id)).isEqualTo(1);
            assertThat(http.get("/dlq").json()).isEmpty();
        }
    }

    @Test
    void five_hundred_orders_all_reach_a_final_state_and_none_completes_twice() throws Exception {
        Db db = new Db(TestDatabase.newDatabase(getClass().getSimpleName() + "_500"));
        int orders = 500;
        try (Platform platform = Platform.start(config(db,
                "orders.processing.failure-probability", "0.3", "orders.retry.max-attempts", "3",
                "orders.retry.initial-delay-ms", "50", "orders.retry.max-delay-ms", "200"))) {
            Http http = new Http(platform.baseUrl());
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                ids.add(clients.submit(() -> http.createOrder()));
            }
            for (Future<String> f : ids) {
                f.get();
            }
            clients.shutdown();
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    db.count("SELECT count(*) FROM orders WHERE status IN ('PROCESSED', 'FAILED')") == orders);
        }
        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(orders);
        assertThat(db.count("SELECT count(*) FROM (SELECT order_id FROM order_transitions WHERE to_status = 'PROCESSED'"
                + " GROUP BY order_id HAVING count(*) > 1) twice")).as("completed twice").isZero();
        assertThat(db.count("SELECT count(*) FROM orders o WHERE status = 'PROCESSED' AND NOT EXISTS"
                + " (SELECT 1 FROM order_transitions t WHERE t.order_id = o.id AND t.to_status = 'PROCESSED')")).isZero();
        assertThat(db.count("SELECT count(*) FROM orders o WHERE status = 'FAILED' AND NOT EXISTS"
                + " (SELECT 1 FROM dlq d WHERE d.order_id = o.id)")).as("failed without a DLQ entry").isZero();
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'")).isPositive();
        assertThat(db.count("SELECT count(*) FROM order_transitions WHERE worker_id LIKE '%recovery'"))
                .as("no worker crashed, so no attempt may have needed stale-lock recovery").isZero();
    }
}
