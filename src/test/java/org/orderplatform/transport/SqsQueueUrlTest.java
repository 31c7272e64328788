package org.orderplatform.transport;

import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aws2-sqs endpoints use the queue URL the start-up looked up (GetQueueUrl, allowed on the queue's ARN).
 * Without it each endpoint looks the queue up with ListQueues, which IAM cannot limit to the two queues: the
 * least-privilege task roles of infra/aws would then fail the start with AccessDenied.
 */
class SqsQueueUrlTest extends PlatformTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.transport", "sqs");
        p.put("orders.sqs.embedded-port", String.valueOf(Platform.freePort()));
        p.put("orders.sqs.wait-time-seconds", "1");
    }

    @Test
    void the_consumer_and_the_relay_endpoints_use_the_looked_up_queue_url() {
        String queueUrl = context.getRegistry().lookupByNameAndType("sqsClient", SqsClient.class)
                .getQueueUrl(b -> b.queueName("orders-events")).queueUrl();
        List<Sqs2Endpoint> endpoints = context.getEndpoints().stream()
                .filter(Sqs2Endpoint.class::isInstance).map(Sqs2Endpoint.class::cast).toList();
        assertThat(endpoints).as("the worker's consumer and the relay's producer").hasSizeGreaterThanOrEqualTo(2);
        assertThat(endpoints).allSatisfy(e -> assertThat(e.getConfiguration().getQueueUrl()).isEqualTo(queueUrl));
    }
}
