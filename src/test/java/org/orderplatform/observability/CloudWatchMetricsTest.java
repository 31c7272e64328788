package org.orderplatform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names, dimension and units the CloudWatch registry sends: exactly the list in CONTRACT.md that the
 * alarms and the dashboard (infra/aws) are written against.
 */
class CloudWatchMetricsTest {
    static final Set<String> PUBLISHED = Set.of(
            "orders.accepted.count", "orders.processed.count", "orders.retried.count", "orders.failed.count",
            "orders.reprocessed.count", "orders.relay.sent.count", "orders.relay.refused.count",
            "orders.sqs.received.count", "orders.sqs.deleted.count", "orders.sqs.delayed.count",
            "orders.dlq.size.value", "orders.outbox.ready.value", "orders.outbox.locked.value",
            "orders.outbox.oldest.age.seconds.value",
            "orders.end.to.end.avg", "orders.end.to.end.max", "orders.end.to.end.count", "orders.end.to.end.sum",
            "orders.processing.duration.avg", "orders.processing.duration.max", "orders.processing.duration.count",
            "orders.processing.duration.sum");

    @Test
    void publishes_only_the_orders_meters_with_the_transport_dimension_when_closed() {
        RecordingCloudWatch cloudWatch = new RecordingCloudWatch();
        MeterRegistry registry = CloudWatchMetrics.registry("OrderPlatform", Duration.ofMinutes(1), cloudWatch);
        // what else lands on a registry in this service: JVM binders and Camel's meters
        new JvmMemoryMetrics().bindTo(registry);
        registry.counter("camel.exchanges.total", "routeId", "orders-api").increment();
        registry.timer("CamelRoutePolicy", "routeId", "orders-api").record(Duration.ofMillis(3));
        // tags beyond the transport would each be a dimension (and a separate metric) in CloudWatch
        registry.counter("orders.processed", "transport", "sqs", "worker", "w-1");

        OrderMetrics metrics = new OrderMetrics(registry, "sqs");
        metrics.accepted();
        metrics.reprocessed();
        metrics.processed(0.5);
        metrics.retried();
        metrics.deadLettered(1.5);
        metrics.relayed(2, 1);
        metrics.sqsReceived();
        metrics.sqsDeleted(3);
        metrics.sqsDelayed(1);
        metrics.processingTook(Duration.ofMillis(250).toNanos());
        metrics.backlog(4, 5, 6000, 7);
        registry.close();

        List<PutMetricDataRequest> requests = cloudWatch.requests();
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.namespace()).isEqualTo("OrderPlatform"));
        List<MetricDatum> data = cloudWatch.data();
        Set<String> names = data.stream().map(MetricDatum::metricName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).containsExactlyInAnyOrderElementsOf(PUBLISHED);
        assertThat(data).allSatisfy(d -> assertThat(d.dimensions())
                .containsExactly(Dimension.builder().name("transport").value("sqs").build()));

        assertThat(sum(data, "orders.accepted.count")).isEqualTo(1.0);
        assertThat(sum(data, "orders.sqs.deleted.count")).isEqualTo(3.0);
        assertThat(sum(data, "orders.relay.sent.count")).isEqualTo(2.0);
        assertThat(max(data, "orders.outbox.oldest.age.seconds.value")).isEqualTo(6.0);
        assertThat(max(data, "orders.dlq.size.value")).isEqualTo(7.0);
        // timers in seconds, like /observe/metrics and the alarm thresholds
        assertThat(max(data, "orders.end.to.end.max")).isEqualTo(1.5);
        assertThat(sum(data, "orders.end.to.end.count")).isEqualTo(2.0);
        assertThat(max(data, "orders.processing.duration.max")).isEqualTo(0.25);
        assertThat(data.stream().filter(d -> d.metricName().equals("orders.end.to.end.max")))
                .allSatisfy(d -> assertThat(d.unit()).isEqualTo(StandardUnit.SECONDS));
    }

    private static double sum(List<MetricDatum> data, String name) {
        return data.stream().filter(d -> d.metricName().equals(name)).mapToDouble(MetricDatum::value).sum();
    }

    private static double max(List<MetricDatum> data, String name) {
        return data.stream().filter(d -> d.metricName().equals(name)).mapToDouble(MetricDatum::value).max().orElseThrow();
    }
}
