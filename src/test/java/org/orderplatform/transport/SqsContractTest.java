package org.orderplatform.transport;

import org.orderplatform.support.Platform;

import java.util.Map;

/** The contract over SQS: the embedded ElasticMQ of the platform, on a port of its own. */
class SqsContractTest extends TransportContract {
    @Override
    protected Map<String, String> transport() {
        return Map.of(
                "orders.transport", "sqs",
                "orders.sqs.embedded-port", String.valueOf(Platform.freePort()),
                "orders.sqs.wait-time-seconds", "1",
                "orders.sqs.visibility-timeout-seconds", "5",
                "orders.sqs.relay-interval-ms", "20");
    }
}
