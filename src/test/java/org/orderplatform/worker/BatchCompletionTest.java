package org.orderplatform.worker;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regressions found by the worker-crash fault test, on the outbox poller's batches, on the application booted with
 * Camel's test support. The slow worker of the first two tests: 50 ms per order, 8 in parallel, claims of 50, so
 * that a batch takes long enough to observe.
 */
class BatchCompletionTest extends PlatformTestSupport {

    /** {@code n} PENDING orders with their events, written directly: a backlog the worker finds at once. */
    private void backlog(int n) {
        db.update("""
                WITH o AS (
                    INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
                    SELECT gen_random_uuid(), 'c-1', 'EUR', '[]'::jsonb, 1, 'PENDING', 'backlog-' || g
                      FROM generate_series(1, ?) g
                    RETURNING id, correlation_id)
                INSERT INTO outbox (order_id, event_type, payload, correlation_id)
                SELECT id, 'OrderCreated', '{}'::jsonb, correlation_id FROM o""", n);
    }

    /**
     * A worker holds one batch at a time: it claims the next batch only when the previous one is finished,
     * so it never holds more orders than it can process within their lease. The wait samples the orders
     * PROCESSING at once, which no route completion tells, so it polls the database.
     */
    @Test
    @WithProperties({"orders.processing.delay-ms=50", "orders.worker.concurrency=8", "orders.outbox.batch-size=50"})
    void a_worker_holds_at_most_one_batch() {
        backlog(600);
        long[] most = {0};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
            most[0] = Math.max(most[0], db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSING'"));
            return db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") == 600;
        });
        assertThat(most[0]).as("orders PROCESSING at once (batch size 50)").isBetween(1L, 50L);
    }

    /**
     * A graceful stop with a backlog: the worker finishes the batch it holds and claims no more, so it stops
     * well within the shutdown timeout and leaves nothing PROCESSING or LOCKED for the lease to release.
     */
    @Test
    @WithProperties({"orders.processing.delay-ms=50", "orders.worker.concurrency=8", "orders.outbox.batch-size=50",
            "camel.main.shutdownTimeout=10"})
    void a_stopping_worker_finishes_its_batch_and_claims_no_more() {
        NotifyBuilder working = whenSentAndDone("direct:process-order", 100);
        backlog(3000);
        awaitRoute(working, Duration.ofSeconds(60));
        context.stop();
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'")).isGreaterThanOrEqualTo(100);
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSING'")).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE status = 'LOCKED'")).isZero();
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PENDING'"))
                .as("the backlog is left for the next worker").isPositive();
    }

    /**
     * In an outbox batch where some attempts fail, the successful attempts are completed at once, not left
     * PROCESSING until stale-lock recovery takes them back and runs them again. The lease here is far longer
     * than the test, so only completion can finish them. The wait is for 300 final states after a random number
     * of attempts, which no count of route completions tells, so it polls the database.
     */
    @Test
    @WithProperties({"orders.processing.failure-probability=0.3", "orders.outbox.lock-timeout-seconds=3600",
            "orders.retry.max-attempts=20", "orders.sqs.max-receive-count=30", "orders.retry.initial-delay-ms=10",
            "orders.retry.max-delay-ms=50"})
    void a_batch_with_failed_attempts_completes_its_successful_ones() {
        try (LogCapture logs = new LogCapture()) {
            Http http = http();
            for (int i = 0; i < 300; i++) {
                http.createOrder();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") == 300);
            assertThat(db.count("SELECT count(*) FROM order_transitions WHERE to_status = 'PENDING'"))
                    .as("failures were injected").isPositive();
            assertThat(logs.mentioning("lease lost")).as("no failed attempt is offered for completion").isEmpty();
        }
    }
}
