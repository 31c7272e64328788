package org.orderplatform.infra;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The SQS client and the two queues of the sqs transport: the work queue and its redrive DLQ (the
 * infrastructure DLQ for poison messages, which business reprocessing never touches).
 */
public final class SqsQueues {
    /** In the redrive policy's JSON, as a number or a string (SQS and ElasticMQ differ). */
    private static final Pattern MAX_RECEIVE_COUNT = Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d+)");
    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    private SqsQueues(SqsClient client, String queueUrl, String deadLetterQueueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    /**
     * Connects to the queues {@code access} names (the embedded ElasticMQ, LocalStack, or AWS itself), creating
     * them when {@code create} and they are missing.
     */
    public static SqsQueues connect(AwsAccess access, String queueName, boolean create, int visibilityTimeoutSeconds,
                                    int maxReceiveCount) {
        return connect(access, queueName, create, visibilityTimeoutSeconds, maxReceiveCount, Timeouts.DEFAULTS);
    }

    /** As above, with the client's {@link Timeouts}. */
    public static SqsQueues connect(AwsAccess access, String queueName, boolean create, int visibilityTimeoutSeconds,
                                    int maxReceiveCount, Timeouts timeouts) {
        SqsClient client = client(access, timeouts);
        String dlqName = queueName + "-dlq";
        String dlqUrl = url(client, dlqName, create, Map.of());
        String dlqArn = client.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN).build()).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String url = url(client, queueName, create, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, redrive));
        return new SqsQueues(client, url, dlqUrl);
    }

    /**
     * The SQS client: with an endpoint override for ElasticMQ or LocalStack; without one for AWS, where the SDK
     * resolves the regional endpoint (and its FIPS or dual-stack variants when the environment asks for them).
     */
    public static SqsClient client(AwsAccess access) {
        return client(access, Timeouts.DEFAULTS);
    }

    /**
     * The SQS client with bounded waits: a network partition (packets dropped, the connection left open) must
     * not hold a consumer, the relay or a health check for ever. The socket timeout bounds each silent read,
     * the attempt timeout one HTTP request, the call timeout a request with the SDK's retries. A long poll
     * is silent for up to orders.sqs.wait-time-seconds: the socket and attempt timeouts must exceed it.
     */
    public static SqsClient client(AwsAccess access, Timeouts timeouts) {
        SqsClientBuilder builder = SqsClient.builder().region(access.region()).credentialsProvider(access.credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(timeouts.connect())
                        .connectionAcquisitionTimeout(timeouts.connect())
                        .socketTimeout(timeouts.socket()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(timeouts.attempt())
                        .apiCallTimeout(timeouts.call())
                        .scheduledExecutorService(timeoutTimer())
                        .build());
        if (access.endpoint() != null) {
            builder.endpointOverride(access.endpoint());
        }
        return builder.build();
    }

    /**
     * Runs the two timeouts the SDK schedules for every call. The SDK's own timer (five threads) keeps a
     * cancelled timeout queued until it would have fired, 25 and 60 s after a call that took milliseconds:
     * after a drain of 50,000 messages tens of thousands of dead timeouts woke its threads for the next minute
     * (3 % of a core in an idle worker). This one removes a timeout when its call ends. One daemon thread,
     * which ends when nothing is scheduled for a minute, so a client closed without it leaves no thread behind
     * (the SDK does not shut down a timer it was given).
     */
    private static ScheduledExecutorService timeoutTimer() {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sqs-timeouts-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    private static String url(SqsClient client, String name, boolean create, Map<QueueAttributeName, String> attributes) {
        try {
            return client.getQueueUrl(GetQueueUrlRequest.builder().queueName(name).build()).queueUrl();
        } catch (QueueDoesNotExistException e) {
            if (!create) {
                throw new IllegalStateException("SQS queue " + name + " does not exist (create it, see localstack/, "
                        + "or set orders.sqs.create-queues=true)", e);
            }
            return client.createQueue(CreateQueueRequest.builder().queueName(name).attributes(attributes).build()).queueUrl();
        }
    }

    /**
     * The maxReceiveCount of the work queue's redrive policy as the queue has it, which is not necessarily
     * what orders.sqs.max-receive-count says: a queue created beforehand (LocalStack init script,
     * Terraform) keeps its own. Empty when the queue has no redrive policy.
     */
    public OptionalInt maxReceiveCount() {
        String policy = client.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY).build()).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null || policy.isBlank()) {
            return OptionalInt.empty();
        }
        Matcher m = MAX_RECEIVE_COUNT.matcher(policy);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    public SqsClient client() {
        return client;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /**
     * The SQS client's timeouts (orders.sqs.connect-timeout-ms, socket-timeout-ms, api-call-attempt-timeout-ms,
     * api-call-timeout-ms).
     */
    public record Timeouts(Duration connect, Duration socket, Duration attempt, Duration call) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(25),
                Duration.ofSeconds(25), Duration.ofSeconds(60));

        /** Fails unless a long poll of {@code waitTimeSeconds} fits in a read and in an attempt. */
        public Timeouts checkedAgainst(int waitTimeSeconds) {
            long needed = waitTimeSeconds * 1000L + 1000;
            if (socket.toMillis() < needed || attempt.toMillis() < needed || call.compareTo(attempt) < 0) {
                throw new IllegalStateException("orders.sqs.socket-timeout-ms (" + socket.toMillis() + ") and "
                        + "orders.sqs.api-call-attempt-timeout-ms (" + attempt.toMillis() + ") must be at least "
                        + "orders.sqs.wait-time-seconds plus 1 s (" + needed + " ms): a long poll is silent that long; "
                        + "orders.sqs.api-call-timeout-ms (" + call.toMillis() + ") must be at least the attempt timeout");
            }
            return this;
        }
    }
}
