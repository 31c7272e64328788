package org.orderplatform.infra;

import org.apache.camel.support.service.ServiceSupport;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default SQS for {@code orders.transport=sqs} without {@code orders.sqs.endpoint}: an ElasticMQ
 * server in this JVM on a fixed port, so that a second local process (a worker) can reach the same
 * queue. Its queues live in memory: messages do not survive this process, but the outbox does, and
 * unrelayed or unfinished orders are sent again from it. A Camel service, stopped after the routes.
 */
public final class EmbeddedSqs extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);

    private final String host;
    private final int port;
    private SQSRestServer server;

    public EmbeddedSqs(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts ElasticMQ now and returns its endpoint. */
    public String startAndGetEndpoint() {
        LOG.info("Starting embedded SQS (ElasticMQ) on {}:{}", host, port);
        server = SQSRestServerBuilder.withInterface(host).withPort(port).start();
        try {
            server.waitUntilStarted();
        } catch (RuntimeException e) {
            doStop();
            throw new IllegalStateException("embedded SQS could not start on port " + port
                    + " (orders.sqs.embedded-port): " + e.getMessage(), e);
        }
        return "http://" + host + ":" + port;
    }

    @Override
    protected void doStop() {
        if (server != null) {
            LOG.info("Stopping embedded SQS");
            server.stopAndWait();
            server = null;
        }
    }
}
