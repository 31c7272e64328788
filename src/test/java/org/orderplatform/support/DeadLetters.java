package org.orderplatform.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Fills a database's business DLQ the real way: a platform whose processing always fails (one attempt)
 * takes orders until each is dead-lettered, then stops. A second platform on the same database, with
 * processing that succeeds, can then reprocess them.
 */
public final class DeadLetters {
    private DeadLetters() {
    }

    /** {@code count} dead-lettered orders with correlation ids {@code <prefix>-1..n}; returns their ids in that order. */
    public static List<String> create(Db db, int count, String correlationPrefix) {
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.processing.failure-probability", "1.0");
        p.put("orders.retry.max-attempts", "1");
        List<String> ids = new ArrayList<>();
        try (Platform failing = Platform.start(p)) {
            Http client = new Http(failing.baseUrl());
            for (int i = 1; i <= count; i++) {
                ids.add(client.createOrder("X-Correlation-Id", correlationPrefix + "-" + i));
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    db.count("SELECT count(*) FROM dlq WHERE order_id::text = ANY (?)",
                            (Object) ids.toArray(String[]::new)) == count);
        }
        return ids;
    }
}
