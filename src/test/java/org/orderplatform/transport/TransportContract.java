package org.orderplatform.transport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Orders;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every transport keeps, with the same assertions for each: the business logic does not
 * know which transport carries its events. Subclasses only say which transport to configure.
 * <p>
 * Each test boots the application with Camel's test support ({@link PlatformTestSupport}); the context starts in
 * the test ({@link #start()}), after any AdviceWith, and the tests wait for the transport contract's endpoints
 * with NotifyBuilder: an attempt ran ({@code direct:process-order}), an order was dead-lettered
 * ({@code direct:dead-lettered}, sent after the order is FAILED with its DLQ entry).
 */
abstract class TransportContract extends PlatformTestSupport {
    protected Orders orders;

    /** The transport's properties (orders.transport and whatever it needs to run in a test). */
    protected abstract Map<String, String> transport();

    @Override
    protected void properties(Map<String, String> p) {
        p.putAll(transport());
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** Starts the application, after whatever the test advised. */
    protected void start() {
        orders = new Orders(db);
        context.start();
    }

    @Test
    void an_order_reaches_processed_with_its_correlation_id_on_the_order_the_event_and_the_worker_logs() {
        start();
        try (LogCapture logs = new LogCapture()) {
            NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
            String id = http().createOrder("X-Correlation-Id", "contract-cid-1");
            awaitRoute(attempt, Duration.ofSeconds(30));
            // the completion statement follows the attempt (on the outbox, once for the whole batch)
            orders.awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));

            assertThat(http().get("/orders/" + id).json().get("correlationId").asText()).isEqualTo("contract-cid-1");
            assertThat(db.query("SELECT payload->>'correlationId' AS cid FROM outbox WHERE order_id = ?::uuid", id))
                    .extracting(r -> r.get("cid")).containsOnly("contract-cid-1");
            assertThat(orders.completions(id)).isEqualTo(1);
            List<ILoggingEvent> lines = logs.mentioning(id);
            assertThat(lines).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.contains("attempt 1: PROCESSING"))
                    .anyMatch(m -> m.contains("attempt 1: PROCESSED"));
            assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "contract-cid-1"));
        }
    }

    @Test
    @WithProperties("orders.retry.max-attempts=3")
    void a_failing_order_gets_exactly_max_attempts_then_a_dlq_entry_and_reprocess_completes_it() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        failAttemptsWhile(failing);
        start();
        Http http = http();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 1);
        String id = http.createOrder("X-Correlation-Id", "contract-dlq");
        awaitRoute(deadLettered, Duration.ofSeconds(60));
        assertThat(orders.status(id)).isEqualTo("FAILED");
        assertThat(orders.transitions(id)).containsExactly("PENDING@1", "PENDING@2", "FAILED@3");
        var dlq = http.get("/dlq").json();
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).get("retryCount").asInt()).isEqualTo(3);
        assertThat(dlq.get(0).get("correlationId").asText()).isEqualTo("contract-dlq");
        assertThat(dlq.get(0).get("reason").asText()).contains("injected failure");

        // the failure is fixed, and an operator reprocesses the order
        failing.set(false);
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(202);
        awaitRoute(attempt, Duration.ofSeconds(30));
        orders.awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        assertThat(orders.completions(id)).isEqualTo(1);
        assertThat(http.get("/dlq").json()).isEmpty();
    }

    /** A random mix of failures and successes (failure-probability is the point here, not one injected failure). */
    @Test
    @WithProperties({"orders.processing.failure-probability=0.3", "orders.retry.max-attempts=3",
            "orders.retry.initial-delay-ms=50", "orders.retry.max-delay-ms=200"})
    void five_hundred_orders_all_reach_a_final_state_and_none_completes_twice() throws Exception {
        start();
        int count = 500;
        Http http = http();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(clients.submit(() -> http.createOrder()));
        }
        for (Future<String> f : ids) {
            f.get();
        }
        clients.shutdown();
        await().atMost(Duration.ofSeconds(120)).until(() -> orders.withStatus("PROCESSED", "FAILED") == count);
        context.stop();

        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(count);
        assertThat(orders.completedTwice()).as("completed twice").isZero();
        assertThat(db.count("SELECT count(*) FROM orders o WHERE status = 'PROCESSED' AND NOT EXISTS"
                + " (SELECT 1 FROM order_transitions t WHERE t.order_id = o.id AND t.to_status = 'PROCESSED')")).isZero();
        assertThat(db.count("SELECT count(*) FROM orders o WHERE status = 'FAILED' AND NOT EXISTS"
                + " (SELECT 1 FROM dlq d WHERE d.order_id = o.id)")).as("failed without a DLQ entry").isZero();
        assertThat(orders.withStatus("PROCESSED")).isPositive();
        assertThat(db.count("SELECT count(*) FROM order_transitions WHERE worker_id LIKE '%recovery'"))
                .as("no worker crashed, so no attempt may have needed stale-lock recovery").isZero();
    }
}
