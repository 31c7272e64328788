package org.orderplatform.worker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Orders;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox worker of one application against a real PostgreSQL, booted with Camel's test support: processing,
 * durable retries with backoff, DLQ, reprocess, correlation in the logs. Failures are injected with AdviceWith
 * where one order's failure is the point, with orders.processing.failure-probability where the simulated
 * processing itself is. Recovery from dead workers, with several processes: {@link OutboxRecoveryTest}.
 */
class OutboxWorkerTest extends PlatformTestSupport {

    private Orders orders() {
        return new Orders(db);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void an_accepted_order_reaches_processed_once() {
        context.start();
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        String id = http().createOrder();
        awaitRoute(attempt, Duration.ofSeconds(20));
        orders().awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        assertThat(orders().completions(id)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid AND status = 'DONE'", id)).isEqualTo(1);
        var order = http().get("/orders/" + id).json();
        assertThat(order.get("status").asText()).isEqualTo("PROCESSED");
        assertThat(order.get("retryCount").asInt()).isEqualTo(1);
    }

    @Test
    @WithProperties({"orders.retry.max-attempts=3", "orders.retry.initial-delay-ms=300", "orders.retry.multiplier=3.0"})
    void retries_with_growing_backoff_then_dead_letters_and_reprocess_completes_it() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        failAttemptsWhile(failing);
        context.start();
        Http http = http();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 1);
        String id = http.createOrder("X-Correlation-Id", "retry-test-1");
        awaitRoute(deadLettered, Duration.ofSeconds(30));
        assertThat(orders().status(id)).isEqualTo("FAILED");

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
        assertThat(dlq.get(0).get("reason").asText()).contains("injected failure");
        assertThat(http.get("/orders/" + id).json().get("failureReason").asText()).contains("injected");

        // the failure is fixed, and an operator reprocesses the order
        failing.set(false);
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        var response = http.post("/dlq/" + id + "/reprocess", null, null);
        assertThat(response.status()).isEqualTo(202);
        awaitRoute(attempt, Duration.ofSeconds(20));
        orders().awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        assertThat(orders().completions(id)).isEqualTo(1);
        assertThat(http.get("/dlq").json()).isEmpty();
        assertThat(http.get("/orders/" + id).json().get("retryCount").asInt()).isEqualTo(1);
        // a second reprocess finds no DLQ entry
        assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(404);
    }

    /** The simulated processing's own failure (failure-probability), its reason in the DLQ, and the MDC of every line. */
    @Test
    @WithProperties({"orders.processing.failure-probability=1.0", "orders.retry.max-attempts=2"})
    void the_correlation_id_is_in_the_mdc_of_every_worker_log_line_about_the_order() {
        context.start();
        try (LogCapture logs = new LogCapture()) {
            NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 1);
            String id = http().createOrder("X-Correlation-Id", "trace-me-42");
            awaitRoute(deadLettered, Duration.ofSeconds(20));
            assertThat(orders().status(id)).isEqualTo("FAILED");
            assertThat(http().get("/dlq").json().get(0).get("reason").asText()).contains("simulated processing failure");
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
