package org.orderplatform.console;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two operators reprocess the same dead letters at the same moment, listing them in opposite orders: each
 * order is reprocessed exactly once, and neither request fails (two statements that lock the same rows in
 * different orders would deadlock, and PostgreSQL would abort one of them with a 500). The application runs without
 * a worker, so every round, the first included, puts the orders back where a failed last attempt leaves them.
 */
class BulkReprocessRaceTest extends PlatformTestSupport {
    private static final int ORDERS = 40;
    private static final int ROUNDS = 15;

    @Override
    protected void properties(Map<String, String> p) {
        // no worker: reprocessed orders stay PENDING, so each round can put them back into the DLQ
        p.put("orders.role", "api");
    }

    @Test
    void concurrent_bulk_reprocesses_of_the_same_orders_reprocess_each_once_and_never_fail() {
        Http http = http();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= ORDERS; i++) {
            ids.add(http.createOrder("X-Correlation-Id", "race-" + i));
        }
        deadLetterAgain(db);
        List<String> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        for (int round = 1; round <= ROUNDS; round++) {
            CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(() -> reprocess(http, ids));
            CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(() -> reprocess(http, reversed));
            Http.Response first = a.join();
            Http.Response second = b.join();
            assertThat(first.status()).as("round %d, first request: %s", round, first.body()).isEqualTo(200);
            assertThat(second.status()).as("round %d, second request: %s", round, second.body()).isEqualTo(200);
            assertThat(reprocessed(first) + reprocessed(second)).as("round %d: each order reprocessed once", round)
                    .isEqualTo(ORDERS);
            assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PENDING'")).isEqualTo(ORDERS);
            assertThat(db.count("SELECT count(*) FROM dlq")).isZero();
            deadLetterAgain(db);
        }
    }

    private static Http.Response reprocess(Http http, List<String> ids) {
        String body = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"orderIds\":[", "]}"));
        return http.post("/dlq/reprocess", "application/json", body);
    }

    private static long reprocessed(Http.Response response) {
        JsonNode results = response.json().get("results");
        long count = 0;
        for (JsonNode r : results) {
            if ("reprocessed".equals(r.get("result").asText())) {
                count++;
            }
        }
        return count;
    }

    /** Puts every order back where a failed last attempt leaves it: FAILED, with its DLQ entry. */
    private static void deadLetterAgain(Db db) {
        db.update("DELETE FROM outbox");
        db.update("UPDATE orders SET status = 'FAILED', retry_count = 1, failure_reason = 'again'");
        db.update("INSERT INTO dlq (order_id, reason, retry_count, correlation_id) "
                + "SELECT id, failure_reason, retry_count, correlation_id FROM orders");
    }
}
