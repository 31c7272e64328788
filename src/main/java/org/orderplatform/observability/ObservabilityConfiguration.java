package org.orderplatform.observability;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.orderplatform.RouteSelection.Transport;
import org.orderplatform.api.RequestTracing;
import org.orderplatform.infra.AwsAccess;
import org.orderplatform.infra.Closing;
import org.orderplatform.infra.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * The observability concern: the order metrics (Prometheus, and CloudWatch with orders.metrics.cloudwatch.enabled),
 * the backlog sampler, the database health check, retention, and tracing (orders.tracing.*). Needs
 * {@code dataSource} and {@code workerId}; binds {@code orderMetrics}, {@code backlogSampler},
 * {@code databaseHealthCheck}, {@code retention} and, when on, {@code tracing}.
 */
public final class ObservabilityConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityConfiguration.class);

    private final Transport transport;

    /** The transport names the metrics and spans ({@code transport} tag and attribute). */
    public ObservabilityConfiguration(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        OrderMetrics metrics = new OrderMetrics(orderMeterRegistry(context, settings), transport.key());
        registry.bind("orderMetrics", metrics);
        registry.bind("backlogSampler", new BacklogSampler(dataSource, metrics));
        registry.bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
        registry.bind("retention", new Retention(dataSource,
                settings.duration("orders.outbox.retention"),
                settings.duration("orders.idempotency.retention"),
                settings.integer("orders.outbox.retention-batch-size", 1, 100_000), 100));
        tracing(context, settings, registry.lookupByNameAndType("workerId", String.class), transport.key());
    }

    /** The tracing this process uses: the one bound as {@code tracing}, or the no-op. */
    public static Tracing tracing(CamelContext context) {
        Tracing tracing = context.getRegistry().lookupByNameAndType("tracing", Tracing.class);
        return tracing == null ? Tracing.off() : tracing;
    }

    /**
     * OpenTelemetry tracing (orders.tracing.*): off, a no-op that allocates nothing; on, spans exported in batches
     * over OTLP/HTTP, or to a {@link SpanExporter} bound as {@code tracingSpanExporter} before the start (a test's
     * in-memory exporter). Closed when Camel stops, after the routes: the last spans are exported.
     */
    private static void tracing(CamelContext context, Settings settings, String workerId, String transport)
            throws Exception {
        if (!settings.flag("orders.tracing.enabled")) {
            return;
        }
        SpanExporter exporter = context.getRegistry().lookupByNameAndType("tracingSpanExporter", SpanExporter.class);
        String endpoint = settings.string("orders.tracing.otlp-endpoint");
        if (exporter == null) {
            exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
        }
        String serviceName = settings.string("orders.tracing.service-name");
        Tracing tracing = Tracing.on(exporter, serviceName, workerId, transport,
                settings.decimal("orders.tracing.sample-ratio", 0.0, 1.0));
        LOG.info("Tracing on: spans of service {} to {}", serviceName, exporter instanceof OtlpHttpSpanExporter
                ? endpoint : exporter.getClass().getSimpleName());
        context.getRegistry().bind("tracing", tracing);
        // only when on: a route policy costs an allocation per exchange even when it does nothing
        RequestTracing requestTracing = new RequestTracing(tracing);
        context.addRoutePolicyFactory((camel, routeId, route) ->
                RequestTracing.ROUTES.contains(routeId) ? requestTracing : null);
        Closing.onStop(context, tracing::close);
    }

    /**
     * Where OrderMetrics registers: the Prometheus registry Camel serves, and with
     * orders.metrics.cloudwatch.enabled also the CloudWatch one, through a composite used by OrderMetrics only
     * (Camel's and the JVM's meters stay on Prometheus). A CloudWatchAsyncClient bound as
     * {@code cloudWatchClient} before the start (a test's recorder) is used instead of one for AWS.
     */
    private static MeterRegistry orderMeterRegistry(CamelContext context, Settings settings) throws Exception {
        Registry registry = context.getRegistry();
        MeterRegistry prometheus = meterRegistry(registry);
        if (!settings.flag("orders.metrics.cloudwatch.enabled")) {
            return prometheus;
        }
        Duration step = settings.duration("orders.metrics.cloudwatch.step");
        CloudWatchAsyncClient client = registry.lookupByNameAndType("cloudWatchClient", CloudWatchAsyncClient.class);
        boolean own = client == null;
        if (own) {
            // AWS itself, in the region SQS uses; credentials from the default chain (the task role)
            AwsAccess access = AwsAccess.of(null, settings.optional("orders.sqs.region").orElse(null),
                    settings.optional("orders.sqs.access-key").orElse(null),
                    settings.optional("orders.sqs.secret-key").orElse(null), new DefaultAwsRegionProviderChain());
            client = CloudWatchAsyncClient.builder().region(access.region()).credentialsProvider(access.credentials())
                    .build();
        }
        String namespace = settings.string("orders.metrics.cloudwatch.namespace");
        MeterRegistry cloudWatch = CloudWatchMetrics.registry(namespace, step, client);
        LOG.info("Publishing orders.* metrics to CloudWatch namespace {} every {}", namespace, step);
        // stopped after the routes: closing the registry publishes the last step, then the client we built goes
        CloudWatchAsyncClient ownClient = own ? client : null;
        Closing.onStop(context, () -> {
            cloudWatch.close();
            if (ownClient != null) {
                ownClient.close();
            }
        });
        return new CompositeMeterRegistry(Clock.SYSTEM, List.of(prometheus, cloudWatch));
    }

    /** The registry Camel serves at /observe/metrics: the one camel.metrics created, or a new one it will reuse. */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}
