package org.orderplatform.worker;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression (found by the worker-crash fault test): in an outbox batch where some attempts fail, the
 * successful attempts are completed at once, not left PROCESSING until stale-lock recovery takes them
 * back and runs them again. The lease here is far longer than the test, so only completion can finish them.
 */
class BatchCompletionTest {

    @Test
    void a_batch_with_failed_attempts_completes_its_successful_ones() {
        Db db = new Db(TestDatabase.newDatabase("batch_completion"));
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.processing.failure-probability", "0.3");
        p.put("orders.outbox.lock-timeout-seconds", "3600");
        p.put("orders.retry.max-attempts", "20");
        p.put("orders.sqs.max-receive-count", "30");
        p.put("orders.retry.initial-delay-ms", "10");
        p.put("orders.retry.max-delay-ms", "50");
        try (LogCapture logs = new LogCapture(); Platform app = Platform.start(p)) {
            Http http = new Http(app.baseUrl());
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
