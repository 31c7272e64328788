package org.orderplatform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Service;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.component.aws2.sqs.Sqs2Component;
import org.orderplatform.api.ConsoleAssets;
import org.orderplatform.api.HttpRequests;
import org.orderplatform.api.OrderIdsParser;
import org.orderplatform.api.HttpResponses;
import org.orderplatform.api.OpenApiDocument;
import org.orderplatform.api.OrderRequestParser;
import org.orderplatform.api.OrderStore;
import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.RouteSelection.Transport;
import org.orderplatform.infra.AwsAccess;
import org.orderplatform.infra.EmbeddedDatabase;
import org.orderplatform.infra.EmbeddedServers;
import org.orderplatform.infra.EmbeddedSqs;
import org.orderplatform.infra.SqsQueues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.orderplatform.observability.BacklogSampler;
import org.orderplatform.observability.CloudWatchMetrics;
import org.orderplatform.observability.DatabaseHealthCheck;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.observability.Retention;
import org.orderplatform.api.AdminAuth;
import org.orderplatform.observability.SqsHealthCheck;
import org.orderplatform.observability.Tracing;
import org.orderplatform.api.RequestTracing;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.orderplatform.transport.InprocessRecovery;
import org.orderplatform.transport.OutboxListener;
import org.orderplatform.transport.OutboxNotifier;
import org.orderplatform.transport.SqsAcknowledgement;
import org.orderplatform.transport.SqsRelay;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.orderplatform.infra.HttpServerGuard;
import org.orderplatform.infra.HttpLimits;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.infra.Schema;
import org.orderplatform.infra.Settings;
import org.orderplatform.infra.SqsConsumerLogFilter;
import org.orderplatform.worker.CollectProcessed;
import org.orderplatform.worker.OrderWorker;
import org.orderplatform.worker.SimulatedProcessing;
import org.orderplatform.worker.StaleLockRecovery;
import org.orderplatform.worker.WorkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.time.Duration;
import java.util.UUID;

/**
 * Builds the infrastructure and binds the beans the routes call: the database (embedded by default),
 * its migrations, the stores, the API helpers and the worker steps. Every knob comes from
 * application.properties; see the comments there.
 */
public class OrderPlatformConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(OrderPlatformConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = JsonMapper.builder().build();

        int httpPort = settings.integer("camel.server.port", 0, 65535);
        HttpServerGuard.checkPortFree(httpPort);
        if (settings.flag("camel.management.enabled")) {
            int managementPort = settings.integer("camel.management.port", 0, 65535);
            if (managementPort == httpPort) {
                LOG.warn("camel.management.port equals camel.server.port ({}): /observe/metrics and /observe/info "
                        + "are served on the API port, to anyone who can reach the API", httpPort);
            } else {
                HttpServerGuard.checkPortFree(managementPort);
            }
        }
        context.addStartupListener(new HttpServerGuard(httpPort, HttpLimits.of(settings),
                settings.longValue("orders.poll.report-interval-ms", 1000)));

        // off on AWS: a task must fail rather than keep orders on its own disk or in its own memory
        boolean embedded = settings.flag("orders.embedded.enabled");
        HikariDataSource dataSource = dataSource(context, settings, embedded);
        if (settings.flag("orders.db.migrate")) {
            Schema.migrate(dataSource);
        } else {
            Schema.checkMigrated(dataSource);
        }

        String workerId = settings.optional("orders.worker.id").orElseGet(OrderPlatformConfiguration::newWorkerId);
        LOG.info("Worker id {}", workerId);

        RetryPolicy retryPolicy = new RetryPolicy(
                settings.integer("orders.retry.max-attempts", 1, 1000),
                settings.longValue("orders.retry.initial-delay-ms", 0),
                settings.decimal("orders.retry.multiplier", 1.0, 100.0),
                settings.longValue("orders.retry.max-delay-ms", 0));
        WorkStore workStore = new WorkStore(dataSource, workerId);
        SimulatedProcessing processing = new SimulatedProcessing(
                settings.longValue("orders.processing.delay-ms", 0),
                settings.decimal("orders.processing.failure-probability", 0.0, 1.0));

        Role role = settings.choice("orders.role", Role.class);
        Transport transport = settings.choice("orders.transport", Transport.class);
        OrderMetrics metrics = new OrderMetrics(orderMeterRegistry(context, settings), transport.name().toLowerCase());
        registry.bind("orderMetrics", metrics);
        registry.bind("backlogSampler", new BacklogSampler(dataSource, metrics));
        registry.bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
        registry.bind("retention", new Retention(dataSource,
                Duration.parse(settings.string("orders.outbox.retention")),
                Duration.parse(settings.string("orders.idempotency.retention")),
                settings.integer("orders.outbox.retention-batch-size", 1, 100_000), 100));
        if (role != Role.WORKER) {
            // only the api serves operator endpoints: a worker needs no token, and must not log a generated one
            registry.bind("adminAuth", new AdminAuth(adminToken(settings)));
        }

        registry.bind("dataSource", dataSource);
        registry.bind("jsonMapper", mapper);
        registry.bind("orderStore", new OrderStore(dataSource, mapper));
        registry.bind("httpRequests", new HttpRequests(new OrderRequestParser(),
                settings.integer("orders.api.default-limit", 1, 500), settings.integer("orders.api.max-limit", 1, 500),
                new OrderIdsParser(settings.integer("orders.api.reprocess-max-ids", 1, 1000))));
        registry.bind("consoleAssets", new ConsoleAssets());
        long reportIntervalMs = settings.longValue("orders.poll.report-interval-ms", 1000);
        registry.bind("httpResponses", new HttpResponses(mapper, reportIntervalMs));
        // GET /openapi.json (routes/api/openapi.camel.yaml); a worker loads no API routes and serves no document
        registry.bind("openApiDocument", new OpenApiDocument(context));
        registry.bind("retryPolicy", retryPolicy);
        registry.bind("workStore", workStore);
        registry.bind("pollFailures", new PollFailures(reportIntervalMs,
                settings.longValue("orders.poll.max-backoff-ms", 100)));
        if (transport == Transport.SQS) {
            // the SQS consumer's own ERROR per failed receive duplicates what pollFailures reports, throttled
            SqsConsumerLogFilter.install();
        }
        Duration lockTimeout = Duration.ofSeconds(settings.integer("orders.outbox.lock-timeout-seconds", 1, 86_400));
        Tracing tracing = tracing(context, settings, workerId, transport);
        registry.bind("orderWorker", new OrderWorker(workStore, processing, retryPolicy, lockTimeout, metrics, tracing));
        registry.bind("collectProcessed", new CollectProcessed());
        registry.bind("staleLockRecovery", new StaleLockRecovery(workStore, lockTimeout, retryPolicy, metrics));
        switch (transport) {
            case SQS -> bindSqs(context, settings, role, embedded, dataSource, mapper, workStore, workerId, retryPolicy,
                    metrics);
            case INPROCESS -> registry.bind("inprocessRecovery", new InprocessRecovery(dataSource, workerId, lockTimeout,
                    settings.integer("orders.inprocess.queue-size", 1, 10_000_000), retryPolicy.maxAttempts(),
                    metrics));
            case OUTBOX -> bindOutbox(context, settings, role, dataSource);
        }
        registry.bind("workerPool", context.getExecutorServiceManager().newFixedThreadPool(this, "order-worker",
                settings.integer("orders.worker.concurrency", 1, 1024)));
    }

    /**
     * OpenTelemetry tracing (orders.tracing.*): off, a no-op that allocates nothing; on, spans exported in batches
     * over OTLP/HTTP, or to a {@link SpanExporter} bound as {@code tracingSpanExporter} before the start (a test's
     * in-memory exporter). Closed when Camel stops, after the routes: the last spans are exported.
     */
    private static Tracing tracing(CamelContext context, Settings settings, String workerId, Transport transport)
            throws Exception {
        if (!settings.flag("orders.tracing.enabled")) {
            return Tracing.off();
        }
        SpanExporter exporter = context.getRegistry().lookupByNameAndType("tracingSpanExporter", SpanExporter.class);
        String endpoint = settings.string("orders.tracing.otlp-endpoint");
        if (exporter == null) {
            exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
        }
        String serviceName = settings.string("orders.tracing.service-name");
        Tracing tracing = Tracing.on(exporter, serviceName, workerId, transport.name().toLowerCase(),
                settings.decimal("orders.tracing.sample-ratio", 0.0, 1.0));
        LOG.info("Tracing on: spans of service {} to {}", serviceName, exporter instanceof OtlpHttpSpanExporter
                ? endpoint : exporter.getClass().getSimpleName());
        context.getRegistry().bind("tracing", tracing);
        // only when on: a route policy costs an allocation per exchange even when it does nothing
        RequestTracing requestTracing = new RequestTracing(tracing);
        context.addRoutePolicyFactory((camel, routeId, route) ->
                RequestTracing.ROUTES.contains(routeId) ? requestTracing : null);
        context.addService(new TracingCloser(tracing), true, true);
        return tracing;
    }

    /**
     * The outbox wake-up across processes (orders.outbox.notify): intake NOTIFYs after its commit, a worker
     * LISTENs on a connection of its own and wakes its drain.
     */
    private static void bindOutbox(CamelContext context, Settings settings, Role role, HikariDataSource dataSource)
            throws Exception {
        context.getRegistry().bind("outboxNotifier", new OutboxNotifier(dataSource));
        if (role != Role.API && Boolean.parseBoolean(settings.string("orders.outbox.notify"))) {
            ProducerTemplate wakeUp = context.createProducerTemplate();
            Properties listener = new Properties();
            listener.setProperty("user", dataSource.getUsername());
            if (dataSource.getPassword() != null) {
                listener.setProperty("password", dataSource.getPassword());
            }
            // named apart from the pool's connections in pg_stat_activity
            listener.setProperty("ApplicationName", "order-platform-listener");
            listener.putAll(driverTimeouts(settings));
            context.addService(new OutboxListener(
                    () -> DriverManager.getConnection(dataSource.getJdbcUrl(), listener),
                    () -> wakeUp.sendBody("direct:outbox-notified", null),
                    settings.longValue("orders.poll.max-backoff-ms", 100)), true, true);
        }
    }

    /** orders.admin.token, or a random one for this run, logged once so that the operator can use it. */
    private static String adminToken(Settings settings) {
        return settings.optional("orders.admin.token").orElseGet(() -> {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.warn("orders.admin.token is not set: operator endpoints (/dlq) accept this generated token for this "
                    + "run only: {}", token);
            return token;
        });
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
        String key = "orders.metrics.cloudwatch.step";
        Duration step;
        try {
            step = Duration.parse(settings.string(key));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("property " + key + " must be an ISO-8601 duration such as PT1M, was '"
                    + settings.string(key) + "'");
        }
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
        // stopped after the routes: closing the registry publishes the last step
        context.addService(new MetricsPublisher(cloudWatch, own ? client : null), true, true);
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

    /**
     * SQS: the embedded ElasticMQ when no endpoint is configured (started by the intake side, on a fixed
     * port so that separate workers can reach it), the queue and its redrive DLQ, the relay and the
     * acknowledgement beans. The aws2-sqs endpoints pick up the bound client.
     */
    private static void bindSqs(CamelContext context, Settings settings, Role role, boolean embedded, DataSource dataSource,
                                ObjectMapper mapper, WorkStore workStore, String workerId, RetryPolicy retryPolicy,
                                OrderMetrics metrics) throws Exception {
        String endpoint = settings.optional("orders.sqs.endpoint").orElse(null);
        String accessKey = settings.optional("orders.sqs.access-key").orElse(null);
        boolean create = Boolean.parseBoolean(settings.string("orders.sqs.create-queues"));
        if (endpoint == null && embedded) {
            if (role == Role.WORKER) {
                throw new IllegalStateException("orders.role=worker with orders.transport=sqs needs orders.sqs.endpoint "
                        + "(the embedded SQS runs in the api process, e.g. http://127.0.0.1:9324), or "
                        + "orders.embedded.enabled=false to use AWS's own SQS endpoint for orders.sqs.region");
            }
            EmbeddedServers.requireSqs();
            EmbeddedSqs sqs = new EmbeddedSqs("127.0.0.1", settings.integer("orders.sqs.embedded-port", 1, 65535));
            endpoint = sqs.startAndGetEndpoint();
            context.addService(sqs, true, true);
            create = true;
            accessKey = accessKey == null ? "embedded" : accessKey;
        }
        int maxReceiveCount = settings.integer("orders.sqs.max-receive-count", 1, 1000);
        if (maxReceiveCount <= retryPolicy.maxAttempts()) {
            throw new IllegalStateException("orders.sqs.max-receive-count (" + maxReceiveCount + ") must exceed "
                    + "orders.retry.max-attempts (" + retryPolicy.maxAttempts() + "): every business retry is another "
                    + "receive of the same message, and the redrive policy would move it to the DLQ too early");
        }
        // endpoint still null here: AWS itself (embedded servers off), its endpoint resolved from the region
        AwsAccess access = AwsAccess.of(endpoint, settings.optional("orders.sqs.region").orElse(null), accessKey,
                settings.optional("orders.sqs.secret-key").orElse("embedded"), new DefaultAwsRegionProviderChain());
        LOG.info("SQS: {} in {}", access.aws() ? "AWS" : access.endpoint(), access.region());
        SqsQueues.Timeouts timeouts = new SqsQueues.Timeouts(
                Duration.ofMillis(settings.integer("orders.sqs.connect-timeout-ms", 100, 600_000)),
                Duration.ofMillis(settings.integer("orders.sqs.socket-timeout-ms", 1000, 3_600_000)),
                Duration.ofMillis(settings.integer("orders.sqs.api-call-attempt-timeout-ms", 1000, 3_600_000)),
                Duration.ofMillis(settings.integer("orders.sqs.api-call-timeout-ms", 1000, 3_600_000)))
                .checkedAgainst(settings.integer("orders.sqs.wait-time-seconds", 0, 20));
        SqsQueues queues = SqsQueues.connect(access, settings.string("orders.sqs.queue-name"), create,
                settings.integer("orders.sqs.visibility-timeout-seconds", 1, 43_200), maxReceiveCount, timeouts);
        context.addService(new ClientCloser(queues.client()), true, true);
        checkRedrivePolicy(queues, settings.string("orders.sqs.queue-name"), retryPolicy.maxAttempts());
        Registry registry = context.getRegistry();
        registry.bind("sqsClient", queues.client());
        // the aws2-sqs endpoints take the URL looked up above: without it each endpoint finds the queue with
        // ListQueues, an IAM action that cannot be limited to the two queues' ARNs
        context.getComponent("aws2-sqs", Sqs2Component.class).getConfiguration().setQueueUrl(queues.queueUrl());
        int redriveAfter = settings.integer("orders.sqs.redrive-after-seconds", 1, 86_400);
        int visibility = settings.integer("orders.sqs.visibility-timeout-seconds", 1, 43_200);
        long maxRetryDelaySeconds = (retryPolicy.maxDelayMs() + 999) / 1000;
        if (redriveAfter <= visibility + maxRetryDelaySeconds) {
            throw new IllegalStateException("orders.sqs.redrive-after-seconds (" + redriveAfter + ") must exceed "
                    + "orders.sqs.visibility-timeout-seconds plus the longest retry backoff (" + visibility + " + "
                    + maxRetryDelaySeconds + " s): a message that is merely invisible must not be sent again");
        }
        registry.bind("sqsRelay", new SqsRelay(dataSource, mapper, workerId, queues.queueUrl(), metrics, redriveAfter));
        SqsAcknowledgement acknowledgement = new SqsAcknowledgement(queues.client(), queues.queueUrl(), workStore, metrics);
        registry.bind("sqsAcknowledgement", acknowledgement);
        // added after the client's closer, so stopped before it: the last deletes go out on the way down
        context.addService(acknowledgement, true, true);
        registry.bind("sqsHealthCheck", new SqsHealthCheck(queues.client(), queues.queueUrl()));
    }

    /**
     * The property is checked above; this checks the queue itself, which may have been created with another
     * maxReceiveCount: every retry is another receive, so a count at or below the attempts would move a
     * message to the redrive DLQ while its order still has attempts left.
     */
    private static void checkRedrivePolicy(SqsQueues queues, String queueName, int maxAttempts) {
        OptionalInt actual = queues.maxReceiveCount();
        if (actual.isEmpty()) {
            LOG.warn("SQS queue {} has no redrive policy: a poison message is received again and again instead of "
                    + "moving to {}-dlq (see localstack/init-aws.sh)", queueName, queueName);
        } else if (actual.getAsInt() <= maxAttempts) {
            throw new IllegalStateException("SQS queue " + queueName + " has maxReceiveCount " + actual.getAsInt()
                    + " in its redrive policy; it must exceed orders.retry.max-attempts (" + maxAttempts + "): every "
                    + "retry is another receive of the same message, and SQS would move it to the DLQ too early");
        }
    }

    private static HikariDataSource dataSource(CamelContext context, Settings settings, boolean embeddedEnabled) throws Exception {
        String url = settings.optional("orders.db.url").orElse(null);
        if (url == null && !embeddedEnabled) {
            throw new IllegalStateException("orders.db.url (ORDERS_DB_URL) is empty and orders.embedded.enabled=false: "
                    + "set it to the database's JDBC URL (jdbc:postgresql://<host>:5432/<database>); no embedded "
                    + "PostgreSQL is started in its place");
        }
        if (url == null) {
            EmbeddedServers.requirePostgres();
            EmbeddedDatabase embedded = new EmbeddedDatabase(
                    Path.of(settings.string("orders.db.embedded.data-dir")),
                    settings.integer("orders.db.embedded.port", 1, 65535));
            url = embedded.startAndGetJdbcUrl();
            // added first so that it stops last, after the routes and the pool
            context.addService(embedded, true, true);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("orders-db");
        config.setJdbcUrl(url);
        config.setUsername(settings.optional("orders.db.username").orElse("postgres"));
        settings.optional("orders.db.password").ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.integer("orders.db.pool-size", 1, 1000));
        config.setConnectionTimeout(settings.longValue("orders.db.connection-timeout-ms", 250));
        config.setInitializationFailTimeout(settings.longValue("orders.db.connection-timeout-ms", 250));
        // a partition leaves connections open and silent: every wait is bounded (docs/configuration.md)
        config.setValidationTimeout(settings.longValue("orders.db.validation-timeout-ms", 250));
        config.setKeepaliveTime(settings.longValue("orders.db.keepalive-time-ms", 0));
        config.setMaxLifetime(settings.longValue("orders.db.max-lifetime-ms", 30_000));
        driverTimeouts(settings).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        long statementTimeoutMs = settings.longValue("orders.db.statement-timeout-ms", 0);
        if (statementTimeoutMs > 0) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeoutMs);
        }
        config.addDataSourceProperty("ApplicationName", "order-platform");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource dataSource = new HikariDataSource(config);
        context.addService(new PoolCloser(dataSource), true, true);
        return dataSource;
    }

    /**
     * The PostgreSQL driver's own timeouts, in seconds (0 = none): reaching the server, logging in, and any
     * read, a statement's result included. The socket timeout is what ends a statement whose connection a
     * partition left open and silent; keep it above orders.db.statement-timeout-ms.
     */
    static Properties driverTimeouts(Settings settings) {
        Properties p = new Properties();
        p.setProperty("connectTimeout", String.valueOf(settings.integer("orders.db.connect-timeout-seconds", 0, 3600)));
        p.setProperty("loginTimeout", String.valueOf(settings.integer("orders.db.login-timeout-seconds", 0, 3600)));
        int socketTimeout = settings.integer("orders.db.socket-timeout-seconds", 0, 86_400);
        long statementTimeoutMs = settings.longValue("orders.db.statement-timeout-ms", 0);
        if (socketTimeout > 0 && (statementTimeoutMs == 0 || statementTimeoutMs >= socketTimeout * 1000L)) {
            throw new IllegalStateException("orders.db.statement-timeout-ms (" + statementTimeoutMs + ") must be set "
                    + "and below orders.db.socket-timeout-seconds (" + socketTimeout + " s): a slow statement is "
                    + "cancelled by the server before the driver gives its connection up");
        }
        p.setProperty("socketTimeout", String.valueOf(socketTimeout));
        return p;
    }

    /** Stops embedded servers when Camel could not start (their threads would keep the JVM alive). */
    static void stopInfrastructure(CamelContext context) {
        if (context == null) {
            return;
        }
        try {
            context.stop();
        } catch (Exception e) {
            LOG.warn("Error while stopping: {}", e.getMessage());
        }
        context.getRegistry().findByType(HikariDataSource.class).forEach(HikariDataSource::close);
        ServiceHelper.stopService(context.hasServices(EmbeddedSqs.class));
        ServiceHelper.stopService(context.hasServices(EmbeddedDatabase.class));
    }

    /** host, pid and a random suffix: unique per process, so that leases can tell workers apart. */
    private static String newWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Closes the SQS client when Camel stops. */
    private record ClientCloser(SqsClient client) implements Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            client.close();
        }
    }

    /** Publishes the last step of the CloudWatch metrics when Camel stops, then closes the client it built. */
    private record MetricsPublisher(MeterRegistry registry, CloudWatchAsyncClient client) implements Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            registry.close();
            if (client != null) {
                client.close();
            }
        }
    }

    /** Exports the last spans and stops the exporter when Camel stops. */
    private record TracingCloser(Tracing tracing) implements Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            tracing.close();
        }
    }

    /** Closes the connection pool when Camel stops, before the embedded database goes away. */
    private record PoolCloser(HikariDataSource dataSource) implements Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            dataSource.close();
        }
    }
}
