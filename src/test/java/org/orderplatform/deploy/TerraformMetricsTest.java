package org.orderplatform.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderplatform.deploy.Terraform.Module;
import org.orderplatform.deploy.Terraform.Ref;
import org.orderplatform.observability.CloudWatchMetrics;
import org.orderplatform.observability.OrderMetrics;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alarms, the dashboard and the scaling policies of infra/aws against the metrics they watch. What it publishes
 * is read from the code: the registry the application uses ({@link CloudWatchMetrics#registry}) is given
 * a CloudWatch client of this test's that records every PutMetricData request, {@link OrderMetrics} is
 * registered on it, every meter is touched and the registry closed (which publishes). Every metric of the
 * service's namespace (var.metrics_namespace) that an alarm or a widget names must be among them, with
 * the same dimensions. Metrics of AWS's own namespaces are not the service's: their dimensions must name
 * resources of the tree, with the attribute CloudWatch expects (a load balancer's arn_suffix, not its arn).
 */
class TerraformMetricsTest {
    private static final String NAMESPACE_VARIABLE = "${var.metrics_namespace}";
    /** CloudWatch dimension -> the resource type and attribute whose value it takes. */
    private static final Map<String, String> DIMENSION_SOURCES = Map.of(
            "QueueName", "aws_sqs_queue.name",
            "LoadBalancer", "aws_lb.arn_suffix",
            "TargetGroup", "aws_lb_target_group.arn_suffix",
            "DBInstanceIdentifier", "aws_db_instance.identifier",
            "ClusterName", "aws_ecs_cluster.name",
            "ServiceName", "aws_ecs_service.name",
            "AutoScalingGroupName", "aws_autoscaling_group.name");

    /** What the service publishes: "name {dimension=value, ...}". */
    private static Set<String> published;

    /** One metric an alarm or a widget names. */
    private record Named(String where, Object namespace, Object name, Map<String, Object> dimensions) {
        String key() {
            return name + " " + new TreeMap<>(dimensions);
        }
    }

    @BeforeAll
    static void record_what_the_service_publishes() {
        List<PutMetricDataRequest> requests = new CopyOnWriteArrayList<>();
        CloudWatchAsyncClient client = new CloudWatchAsyncClient() {
            @Override
            public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
                requests.add(request);
                return CompletableFuture.completedFuture(PutMetricDataResponse.builder().build());
            }

            @Override
            public String serviceName() {
                return "cloudwatch";
            }

            @Override
            public void close() {
            }
        };
        String namespace = Terraform.applicationProperties().getProperty("orders.metrics.cloudwatch.namespace");
        MeterRegistry registry = CloudWatchMetrics.registry(namespace, Duration.ofMinutes(1), client);
        new OrderMetrics(registry, "sqs");
        // touch every meter the service registered, whatever OrderMetrics adds later (gauges publish as they are)
        for (Meter meter : registry.getMeters()) {
            if (meter instanceof Counter counter) {
                counter.increment();
            } else if (meter instanceof Timer timer) {
                timer.record(Duration.ofMillis(250));
            }
        }
        registry.close();
        published = new TreeSet<>();
        for (PutMetricDataRequest request : requests) {
            assertThat(request.namespace()).as("the namespace the registry publishes to").isEqualTo(namespace);
            request.metricData().forEach(d -> {
                Map<String, Object> dimensions = new TreeMap<>();
                d.dimensions().forEach(x -> dimensions.put(x.name(), x.value()));
                published.add(d.metricName() + " " + dimensions);
            });
        }
        System.out.println("Published to CloudWatch: " + published);
    }

    /** Every metric named by an aws_cloudwatch_metric_alarm (plain or metric math), a scaling policy or the dashboard. */
    private static List<Named> namedMetrics(Module prod) {
        List<Named> named = new ArrayList<>();
        prod.resources("aws_cloudwatch_metric_alarm").forEach((name, alarm) -> {
            String where = "aws_cloudwatch_metric_alarm." + name;
            if (alarm.get("metric_name") != null) {
                named.add(new Named(where, alarm.get("namespace"), alarm.get("metric_name"), Terraform.map(alarm.get("dimensions"))));
            }
            for (Map<String, Object> query : Terraform.blocks(alarm.get("metric_query"))) {
                Map<String, Object> metric = Terraform.map(query.get("metric"));
                if (!metric.isEmpty()) {
                    named.add(new Named(where + " metric_query " + query.get("id"), metric.get("namespace"),
                            metric.get("metric_name"), Terraform.map(metric.get("dimensions"))));
                }
            }
        });
        // target tracking on a custom metric (the worker's backlog per task): a wrong dimension there
        // leaves the service unscaled without any error
        prod.resources("aws_appautoscaling_policy").forEach((name, policy) -> {
            String where = "aws_appautoscaling_policy." + name;
            for (Map<String, Object> config : Terraform.blocks(policy.get("target_tracking_scaling_policy_configuration"))) {
                for (Map<String, Object> spec : Terraform.blocks(config.get("customized_metric_specification"))) {
                    if (spec.get("metric_name") != null) {
                        named.add(new Named(where, spec.get("namespace"), spec.get("metric_name"), dimensionBlocks(spec.get("dimensions"))));
                    }
                    for (Map<String, Object> query : Terraform.blocks(spec.get("metrics"))) {
                        for (Map<String, Object> stat : Terraform.blocks(query.get("metric_stat"))) {
                            Map<String, Object> metric = Terraform.map(stat.get("metric"));
                            named.add(new Named(where + " metrics " + query.get("id"), metric.get("namespace"),
                                    metric.get("metric_name"), dimensionBlocks(metric.get("dimensions"))));
                        }
                    }
                }
            }
        });
        prod.resources("aws_cloudwatch_dashboard").forEach((name, dashboard) -> {
            Object body = dashboard.get("dashboard_body");
            assertThat(body).as("aws_cloudwatch_dashboard.%s.dashboard_body = jsonencode({...})", name).isInstanceOf(Map.class);
            for (Map<String, Object> widget : Terraform.blocks(Terraform.map(body).get("widgets"))) {
                List<Object> previous = List.of();
                for (Object row : Terraform.list(Terraform.map(widget.get("properties")).get("metrics"))) {
                    List<Object> cells = new ArrayList<>(Terraform.list(row));
                    cells.removeIf(Map.class::isInstance);  // the rendering options, { stat = ..., label = ... }
                    if (cells.size() < 2) {
                        continue;  // an expression row
                    }
                    for (int i = 0; i < cells.size(); i++) {
                        if (".".equals(cells.get(i)) && i < previous.size()) {
                            cells.set(i, previous.get(i));  // CloudWatch's "same as the row above"
                        }
                    }
                    previous = cells;
                    Map<String, Object> dimensions = new TreeMap<>();
                    for (int i = 2; i + 1 < cells.size(); i += 2) {
                        dimensions.put(String.valueOf(cells.get(i)), cells.get(i + 1));
                    }
                    named.add(new Named("aws_cloudwatch_dashboard." + name + " widget \"" + Terraform.map(widget.get("properties")).get("title") + "\"",
                            cells.get(0), cells.get(1), dimensions));
                }
            }
        });
        return named;
    }

    /** Application Auto Scaling's {@code dimensions { name = ..., value = ... }} blocks as a map. */
    private static Map<String, Object> dimensionBlocks(Object blocks) {
        Map<String, Object> dimensions = new TreeMap<>();
        Terraform.blocks(blocks).forEach(d -> dimensions.put(String.valueOf(d.get("name")), d.get("value")));
        return dimensions;
    }

    @Test
    void the_alarms_and_the_dashboard_name_only_metrics_the_service_publishes() {
        Module prod = Terraform.module(Terraform.PROD);
        List<Named> named = namedMetrics(prod);
        assertThat(named).as("metrics named by the alarms and the dashboard of %s", Terraform.PROD).isNotEmpty();
        String serviceDefault = Terraform.applicationProperties().getProperty("orders.metrics.cloudwatch.namespace");
        int ofTheService = 0;
        for (Named metric : named) {
            assertThat(metric.namespace()).as("%s: the namespace is var.metrics_namespace, not the literal default", metric.where())
                    .isNotEqualTo(serviceDefault);
            if (NAMESPACE_VARIABLE.equals(metric.namespace())) {
                ofTheService++;
                assertThat(published).as("%s names %s: the service publishes no such metric with these dimensions",
                        metric.where(), metric.key()).contains(metric.key());
            }
        }
        assertThat(ofTheService).as("alarms or widgets on the service's own metrics").isPositive();
        assertThat(prod.variable("metrics_namespace").get("default"))
                .as("var.metrics_namespace default = orders.metrics.cloudwatch.namespace").isEqualTo(serviceDefault);
    }

    @Test
    void metrics_of_aws_namespaces_name_resources_of_the_tree() {
        Module prod = Terraform.module(Terraform.PROD);
        for (Named metric : namedMetrics(prod)) {
            if (NAMESPACE_VARIABLE.equals(metric.namespace())) {
                continue;
            }
            assertThat(metric.dimensions()).as("%s %s %s: dimensions", metric.where(), metric.namespace(), metric.name()).isNotEmpty();
            metric.dimensions().forEach((dimension, value) -> {
                assertThat(value).as("%s %s %s: %s must name a resource of the tree", metric.where(), metric.namespace(),
                        metric.name(), dimension).isInstanceOf(Ref.class);
                Ref ref = (Ref) value;
                assertThat(prod.declares(ref.address())).as("%s: %s is not declared in %s", metric.where(), ref, Terraform.PROD).isTrue();
                String source = DIMENSION_SOURCES.get(dimension);
                if (source != null) {
                    String type = ref.address().substring(0, ref.address().indexOf('.'));
                    assertThat(type + "." + ref.attribute()).as("%s: CloudWatch's %s is a %s", metric.where(), dimension, source)
                            .isEqualTo(source);
                }
            });
        }
    }

    @Test
    void both_task_definitions_publish_to_that_namespace() {
        for (Terraform.Container container : Terraform.ecsContainers(Terraform.module(Terraform.PROD))) {
            assertThat(container.environment()).as("%s", container.source())
                    .containsEntry("ORDERS_METRICS_CLOUDWATCH_ENABLED", "true")
                    .containsEntry("ORDERS_METRICS_CLOUDWATCH_NAMESPACE", NAMESPACE_VARIABLE);
        }
    }
}
