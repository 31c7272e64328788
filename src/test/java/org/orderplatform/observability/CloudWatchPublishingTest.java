package org.orderplatform.observability;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orders.metrics.cloudwatch.enabled in the running application: the order metrics go to CloudWatch as well as
 * to /observe/metrics, and the last step is published when the application stops. The CloudWatch client is a
 * recorder bound before the start (no AWS here).
 */
class CloudWatchPublishingTest {

    @Test
    void the_application_publishes_its_order_metrics_on_stop_and_still_serves_them_to_prometheus() {
        Db db = new Db(TestDatabase.newDatabase("cloudwatch_on"));
        RecordingCloudWatch cloudWatch = new RecordingCloudWatch();
        Map<String, String> p = Platform.defaults(db.url(),
                "orders.metrics.cloudwatch.enabled", "true",
                "orders.metrics.cloudwatch.namespace", "OrderPlatformTest");
        // a step longer than the test: what arrives is what the stop published
        p.put("orders.metrics.cloudwatch.step", "PT1H");
        try (Platform platform = Platform.start(p, Map.of("cloudWatchClient", cloudWatch))) {
            Http http = new Http(platform.baseUrl());
            String id = http.createOrder();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "PROCESSED".equals(db.query("SELECT status FROM orders WHERE id = ?::uuid", id).get(0).get("status")));
            String scraped = new Http(platform.managementUrl()).get("/observe/metrics").body();
            assertThat(scraped).contains("orders_accepted_total{transport=\"outbox\"} 1.0")
                    .contains("orders_processed_total{transport=\"outbox\"} 1.0")
                    .contains("orders_end_to_end_seconds_bucket{transport=\"outbox\",le=\"0.005\"}");
        }
        assertThat(cloudWatch.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("OrderPlatformTest"));
        assertThat(cloudWatch.data()).extracting(MetricDatum::metricName)
                .allMatch(name -> name.startsWith("orders."))
                .contains("orders.accepted.count", "orders.processed.count", "orders.end.to.end.max");
        assertThat(cloudWatch.data().stream().filter(d -> d.metricName().equals("orders.processed.count"))
                .mapToDouble(MetricDatum::value).sum()).isEqualTo(1.0);
        assertThat(cloudWatch.closed()).as("a client the application did not build is not its to close").isFalse();
    }

    /**
     * No client bound: the application builds a CloudWatch client for AWS (region eu-west-1, default credentials
     * chain), which this machine cannot reach. It starts, and a failed last publication neither fails nor hangs
     * the stop.
     */
    @Test
    void with_aws_out_of_reach_the_application_still_starts_and_stops() {
        Db db = new Db(TestDatabase.newDatabase("cloudwatch_unreachable"));
        Map<String, String> p = Platform.defaults(db.url(),
                "orders.metrics.cloudwatch.enabled", "true",
                "orders.sqs.region", "eu-west-1");
        Platform platform = Platform.start(p);
        new Http(platform.baseUrl()).createOrder();
        long started = System.nanoTime();
        platform.close();
        assertThat(platform.context().getStatus().isStopped()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void off_by_default() {
        Db db = new Db(TestDatabase.newDatabase("cloudwatch_off"));
        RecordingCloudWatch cloudWatch = new RecordingCloudWatch();
        try (Platform platform = Platform.start(Platform.defaults(db.url()), Map.of("cloudWatchClient", cloudWatch))) {
            new Http(platform.baseUrl()).createOrder();
        }
        assertThat(cloudWatch.requests()).isEmpty();
    }
}
