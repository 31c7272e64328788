package org.orderplatform.infra;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.net.URI;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
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
     * A client for {@code endpoint} (ElasticMQ, LocalStack or AWS). With {@code accessKey} null, credentials
     * come from the standard AWS chain, and requests go unsigned when it has none. Creates the queues when
     * {@code create} and they are missing.
     */
    public static SqsQueues connect(String endpoint, String region, String accessKey, String secretKey,
                                    String queueName, boolean create, int visibilityTimeoutSeconds, int maxReceiveCount) {
        AwsCredentialsProvider credentials = accessKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey == null ? "" : secretKey))
                : AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
                        AnonymousCredentialsProvider.create());
        SqsClient client = SqsClient.builder()
                .region(Region.of(region))
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(credentials)
                .build();
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
}
