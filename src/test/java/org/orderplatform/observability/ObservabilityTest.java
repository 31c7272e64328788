package org.orderplatform.observability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.support.WithProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics, health, OpenAPI and retention, observed from outside as an operator would, on the application booted
 * with Camel's test support.
 */
class ObservabilityTest extends PlatformTestSupport {
    private static final String READINESS = "readiness_is_down_while_the_database_is_away_and_up_again_when_it_returns";

    /** The readiness test's own PostgreSQL, which it stops and starts again on the same port and data folder. */
    private Path pgDir;
    private int pgPort;
    private EmbeddedPostgres pg;

    @Override
    protected void properties(Map<String, String> p) {
        if (testMethodName().equals(READINESS)) {
            try {
                pgDir = Files.createTempDirectory("readiness-pg");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            pgPort = Platform.freePort();
            pg = TestDatabase.start(pgDir, pgPort);
            p.put("orders.db.url", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres");
            p.put("orders.db.connection-timeout-ms", "500");
        }
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*transport=\"outbox\"[^}]*} (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    @WithProperties({"orders.processing.failure-probability=1.0", "orders.retry.max-attempts=2",
            "orders.metrics.sample-interval-ms=100"})
    void the_metrics_endpoint_counts_what_happened_after_a_run_with_failures() {
        Http http = http();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 3);
        for (int i = 0; i < 3; i++) {
            http.createOrder();
        }
        awaitRoute(deadLettered, Duration.ofSeconds(30));
        assertThat(db.count("SELECT count(*) FROM dlq")).isEqualTo(3);
        String id = db.query("SELECT order_id::text AS id FROM dlq LIMIT 1").get(0).get("id").toString();
        NotifyBuilder deadLetteredAgain = whenSentAndDone("direct:dead-lettered", 1);
        assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(202);
        awaitRoute(deadLetteredAgain, Duration.ofSeconds(30));
        // the gauges are sampled (orders.metrics.sample-interval-ms): the scrape catches up within a few samples
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = new Http(managementUrl()).get("/observe/metrics").body();
            assertThat(metric(scrape, "orders_accepted_total")).isEqualTo(3.0);
            assertThat(metric(scrape, "orders_reprocessed_total")).isEqualTo(1.0);
            assertThat(metric(scrape, "orders_retried_total")).isEqualTo(4.0);
            assertThat(metric(scrape, "orders_failed_total")).isEqualTo(4.0);
            assertThat(metric(scrape, "orders_processed_total")).isEqualTo(0.0);
            assertThat(metric(scrape, "orders_processing_duration_seconds_count")).isEqualTo(8.0);
            assertThat(metric(scrape, "orders_end_to_end_seconds_count")).isEqualTo(4.0);
            assertThat(metric(scrape, "orders_dlq_size")).isEqualTo(3.0);
            assertThat(metric(scrape, "orders_outbox_ready")).isEqualTo(0.0);
            assertThat(scrape).contains("orders_end_to_end_seconds_bucket{").contains("camel_exchanges_total{");
        });
    }

    /** The application runs on a PostgreSQL of the test's own (see {@link #properties}), stopped and started again. */
    @Test
    void readiness_is_down_while_the_database_is_away_and_up_again_when_it_returns() throws Exception {
        try {
            Http http = http();
            assertThat(http.get("/observe/health/ready").status()).isEqualTo(200);
            pg.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/observe/health/ready").status() == 503);
            assertThat(http.get("/observe/health/live").status()).as("the process itself is alive").isEqualTo(200);
            Http.Response refused = http.post("/orders", "application/json", Http.VALID_ORDER);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("error").asText()).isEqualTo("service_unavailable");
            pg = TestDatabase.start(pgDir, pgPort);
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/observe/health/ready").status() == 200);
            assertThat(http.post("/orders", "application/json", Http.VALID_ORDER).status()).isEqualTo(202);
        } finally {
            context.stop();
            pg.close();
        }
    }

    @Test
    void retention_deletes_old_done_outbox_rows_in_batches_and_keeps_the_rest() throws Exception {
        Http http = http();
        NotifyBuilder attempts = whenSentAndDone("direct:process-order", 5);
        for (int i = 0; i < 5; i++) {
            http.createOrder();
        }
        awaitRoute(attempts, Duration.ofSeconds(20));
        // the completion statement follows the attempts (on the outbox, once for the whole batch)
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM outbox WHERE status = 'DONE'") == 5);
        db.update("UPDATE outbox SET done_at = now() - interval '8 days' WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 3)");
        String pending = http.createOrder();
        Retention retention = new Retention(context.getRegistry()
                .lookupByNameAndType("dataSource", javax.sql.DataSource.class), Duration.ofDays(7), Duration.ofDays(1), 2, 100);
        assertThat(retention.purge()).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM outbox")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM orders")).as("orders are kept").isEqualTo(6);
        assertThat(pending).isNotNull();
    }
}
