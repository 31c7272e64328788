package org.orderplatform.observability;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Map;

/** Readiness in sqs mode: DOWN while the queue cannot be reached. */
public class SqsHealthCheck extends AbstractHealthCheck {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsHealthCheck(SqsClient sqs, String queueUrl) {
        super("orders", "sqs");
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)
                    .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2)))
                    .build());
            builder.up();
        } catch (Exception e) {
            builder.message("SQS unreachable: " + e.getClass().getSimpleName()).down();
        }
    }
}
