package org.orderplatform.faults;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.orderplatform.infra.AwsAccess;
import org.orderplatform.infra.SqsQueues;

/**
 * An SQS-compatible server (ElasticMQ) hosted by the test JVM on a fixed port, so that it can be stopped
 * (the SQS outage) and started again on the same port while the service's processes keep their
 * {@code orders.sqs.endpoint}. Its queues live in memory: a restart starts with none, so {@link #start()}
 * creates the work queue and its redrive DLQ as the service does ({@link SqsQueues}).
 */
final class FaultSqs implements AutoCloseable {
    static final int VISIBILITY_TIMEOUT_SECONDS = 10;
    static final int MAX_RECEIVE_COUNT = 10;

    private final int port = org.orderplatform.support.Platform.freePort();
    private SQSRestServer server;

    void start() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        try (var client = SqsQueues.connect(AwsAccess.of(endpoint(), "us-east-1", "x", "x", null), "orders-events", true,
                VISIBILITY_TIMEOUT_SECONDS, MAX_RECEIVE_COUNT).client()) {
            client.listQueues();
        }
    }

    void stop() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
