package org.orderplatform.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orderplatform.observability.Retention;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency-Key on POST /orders: client retries are safe, reuse with another body is refused. Each test counts
 * from what is stored before it, so the five share one application (Camel's test support, per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest extends PlatformTestSupport {
    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "api");
    }

    private long orders() {
        return db.count("SELECT count(*) FROM orders");
    }

    @Test
    void the_same_key_and_body_return_the_same_order_and_store_nothing_new() {
        String key = UUID.randomUUID().toString();
        long before = orders();
        Http.Response first = http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", key,
                "X-Correlation-Id", "first-try");
        // the same order, formatted differently, retried with another correlation id
        String sameOrder = "{ \"items\": [ {\"unitPrice\": 19.990, \"sku\": \"SKU-1\", \"quantity\": 2} ],"
                + " \"currency\": \"EUR\", \"customerId\": \"c-42\" }";
        Http.Response retry = http().post("/orders", "application/json", sameOrder, "Idempotency-Key", key,
                "X-Correlation-Id", "second-try");
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().get("orderId").asText()).isEqualTo(first.json().get("orderId").asText());
        assertThat(retry.json().get("correlationId").asText()).isEqualTo("first-try");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("X-Correlation-Id")).as("header and body agree").isEqualTo("first-try");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(orders()).isEqualTo(before + 1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid", first.json().get("orderId").asText()))
                .isEqualTo(1);
    }

    @Test
    void the_same_key_with_a_different_body_is_refused_with_422() {
        String key = UUID.randomUUID().toString();
        assertThat(http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", key).status()).isEqualTo(202);
        long before = orders();
        Http.Response other = http().post("/orders", "application/json", Http.VALID_ORDER.replace("\"quantity\":2", "\"quantity\":3"),
                "Idempotency-Key", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("error").asText()).isEqualTo("idempotency_key_reused");
        assertThat(orders()).isEqualTo(before);
    }

    @Test
    void concurrent_duplicates_create_exactly_one_order() throws Exception {
        String key = UUID.randomUUID().toString();
        long before = orders();
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Callable<Http.Response> call = () -> {
                go.await();
                return http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", key);
            };
            answers.add(pool.submit(call));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<Http.Response> answer : answers) {
            Http.Response r = answer.get();
            assertThat(r.status()).isEqualTo(202);
            ids.add(r.json().get("orderId").asText());
        }
        pool.shutdown();
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(orders()).isEqualTo(before + 1);
    }

    @Test
    void malformed_keys_are_refused_and_store_nothing() {
        long before = orders();
        for (String bad : new String[] {"", "has space", "x".repeat(129), "semi;colon"}) {
            Http.Response r = http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", bad);
            assertThat(r.status()).as("key '%s'", bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_header");
        }
        assertThat(orders()).isEqualTo(before);
    }

    @Test
    void expired_keys_are_forgotten_so_the_key_creates_a_new_order() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", key).json().get("orderId").asText();
        db.update("UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key = ?", key);
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        new Retention(dataSource, Duration.ofDays(7), Duration.ofDays(1), 100, 10).purge();
        assertThat(db.count("SELECT count(*) FROM idempotency_keys WHERE key = ?", key)).isZero();
        String second = http().post("/orders", "application/json", Http.VALID_ORDER, "Idempotency-Key", key).json().get("orderId").asText();
        assertThat(second).isNotEqualTo(first);
    }
}
