package org.orderplatform.transport.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.aws2.sqs.Sqs2Component;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.apache.camel.spi.Registry;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.infra.AwsAccess;
import org.orderplatform.infra.Closing;
import org.orderplatform.infra.EmbeddedServers;
import org.orderplatform.infra.EmbeddedSqs;
import org.orderplatform.infra.Settings;
import org.orderplatform.infra.SqsConsumerLogFilter;
import org.orderplatform.infra.SqsQueues;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.observability.SqsHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * The SQS transport (routes/sqs/): the embedded ElasticMQ when no endpoint is configured (started by the intake
 * side, on a fixed port so that separate workers can reach it), the queue and its redrive DLQ, the relay and the
 * acknowledgement beans. The aws2-sqs endpoints pick up the bound client and the queue URL.
 */
public final class SqsConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SqsConfiguration.class);

    private final Role role;

    public SqsConfiguration(Role role) {
        this.role = role;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // the SQS consumer's own ERROR per failed receive duplicates what pollFailures reports, throttled
        SqsConsumerLogFilter.install();
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        RetryPolicy retryPolicy = registry.lookupByNameAndType("retryPolicy", RetryPolicy.class);
        OrderMetrics metrics = registry.lookupByNameAndType("orderMetrics", OrderMetrics.class);
        String endpoint = settings.optional("orders.sqs.endpoint").orElse(null);
        String accessKey = settings.optional("orders.sqs.access-key").orElse(null);
        boolean create = settings.flag("orders.sqs.create-queues");
        if (endpoint == null && settings.flag("orders.embedded.enabled")) {
            if (!role.servesApi()) {
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
        int visibility = settings.integer("orders.sqs.visibility-timeout-seconds", 1, 43_200);
        SqsRedrive redrive = new SqsRedrive(settings.integer("orders.sqs.max-receive-count", 1, 1000),
                retryPolicy.maxAttempts(), settings.integer("orders.sqs.redrive-after-seconds", 1, 86_400), visibility,
                retryPolicy.maxDelayMs());
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
        String queueName = settings.string("orders.sqs.queue-name");
        SqsQueues queues = SqsQueues.connect(access, queueName, create, visibility, redrive.maxReceiveCount(), timeouts);
        Closing.onStop(context, queues.client());
        checkRedrivePolicy(queues, queueName, retryPolicy.maxAttempts());
        registry.bind("sqsClient", queues.client());
        // the aws2-sqs endpoints take the URL looked up above: without it each endpoint finds the queue with
        // ListQueues, an IAM action that cannot be limited to the two queues' ARNs
        context.getComponent("aws2-sqs", Sqs2Component.class).getConfiguration().setQueueUrl(queues.queueUrl());
        registry.bind("sqsRelay", new SqsRelay(registry.lookupByNameAndType("dataSource", DataSource.class),
                registry.lookupByNameAndType("jsonMapper", ObjectMapper.class),
                registry.lookupByNameAndType("workerId", String.class), queues.queueUrl(), metrics,
                redrive.redriveAfterSeconds()));
        // the relay sends a claim's batches of ten in parallel and settles the claim in one statement
        registry.bind("sqsRelaySends", new SqsRelaySends());
        registry.bind("sqsRelayPool", context.getExecutorServiceManager().newFixedThreadPool(this, "SqsRelay",
                settings.integer("orders.sqs.relay-senders", 1, 10)));
        // its flush timer is a thread that exists only once a delete waits (a scheduled pool starts threads on demand)
        SqsAcknowledgement acknowledgement = new SqsAcknowledgement(queues.client(), queues.queueUrl(),
                registry.lookupByNameAndType("jsonMapper", ObjectMapper.class), metrics,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "SqsAcknowledgements"),
                settings.integer("orders.sqs.delete-interval-ms", 1, 60_000));
        // the sqs worker gathers the messages of one receive into one exchange (routes/sqs/worker) and runs that
        // batch on the consumer thread that received it: the aggregator's default is one thread of its own for
        // every batch, while the consumers keep receiving (and their messages' visibility keeps running out)
        registry.bind("sqsReceivedMessages", new GroupedMessageAggregationStrategy());
        registry.bind("sqsConsumerThread", new SynchronousExecutorService());
        registry.bind("sqsAcknowledgement", acknowledgement);
        // added after the client's closer, so stopped before it: the last deletes go out on the way down
        context.addService(acknowledgement, true, true);
        registry.bind("sqsHealthCheck", new SqsHealthCheck(queues.client(), queues.queueUrl()));
    }

    /**
     * The property is checked by {@link SqsRedrive}; this checks the queue itself, which may have been created with
     * another maxReceiveCount: every retry is another receive, so a count at or below the attempts would move a
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
}
