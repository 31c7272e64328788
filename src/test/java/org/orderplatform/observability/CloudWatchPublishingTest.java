package org.orderplatform.observability;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.Orders;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * orders.metrics.cloudwatch.enabled in the running application: the order metrics go to CloudWatch as well as
 * to /observe/metrics, and the last step is published when the application stops. The CloudWatch client is a
 * recorder bound before the start (no AWS here), except where the client the application builds is the point.
 */
class CloudWatchPublishingTest extends PlatformTestSupport {
    private static final String AWS_OUT_OF_REACH = "with_aws_out_of_reach_the_application_still_starts_and_stops";

    private final RecordingCloudWatch cloudWatch = new RecordingCloudWatch();

    @Override
    protected void beans(Map<String, Object> beans) {
        if (!testMethodName().equals(AWS_OUT_OF_REACH)) {
            beans.put("cloudWatchClient", cloudWatch);
        }
    }

    @Test
    // a step longer than the test: what arrives is what the stop published
    @WithProperties({"orders.metrics.cloudwatch.enabled=true", "orders.metrics.cloudwatch.namespace=OrderPlatformTest",
            "orders.metrics.cloudwatch.step=PT1H"})
    void the_application_publishes_its_order_metrics_on_stop_and_still_serves_them_to_prometheus() {
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        String id = http().createOrder();
        awaitRoute(attempt, Duration.ofSeconds(20));
        new Orders(db).awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        String scraped = new Http(managementUrl()).get("/observe/metrics").body();
        assertThat(scraped).contains("orders_accepted_total{transport=\"outbox\"} 1.0")
                .contains("orders_processed_total{transport=\"outbox\"} 1.0")
                .contains("orders_end_to_end_seconds_bucket{transport=\"outbox\",le=\"0.005\"}");
        context.stop();

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
    @WithProperties({"orders.metrics.cloudwatch.enabled=true", "orders.sqs.region=eu-west-1"})
    void with_aws_out_of_reach_the_application_still_starts_and_stops() {
        http().createOrder();
        long started = System.nanoTime();
        context.stop();
        assertThat(context.getStatus().isStopped()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void off_by_default() {
        http().createOrder();
        context.stop();
        assertThat(cloudWatch.requests()).isEmpty();
    }
}
