package org.orderplatform.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.infra.AwsAccess;
import org.orderplatform.infra.SqsQueues;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An SQS outage seen from a worker's log: one line when it starts, one when it ends, and no stack trace, not
 * the SQS consumer's (or the AWS SDK's) own report of every failed receive. The queue server is stopped and
 * started again on the same port, with its queues created anew; the worker is the application booted with Camel's
 * test support, on that server (started in {@link #properties}, before the application).
 */
class SqsOutageLogsTest extends PlatformTestSupport {
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private int sqsPort;
    private SQSRestServer sqs;

    @Override
    protected void properties(Map<String, String> p) {
        sqsPort = Platform.freePort();
        sqs = startSqs(sqsPort);
        p.put("orders.role", "worker");
        p.put("orders.transport", "sqs");
        p.put("orders.sqs.endpoint", "http://127.0.0.1:" + sqsPort);
        p.put("orders.sqs.access-key", "x");
        p.put("orders.sqs.secret-key", "x");
        p.put("orders.sqs.wait-time-seconds", "1");
        p.put("orders.sqs.visibility-timeout-seconds", "10");
        p.put("orders.poll.max-backoff-ms", "1000");
    }

    @Test
    void an_sqs_outage_writes_one_line_when_it_starts_one_when_it_ends_and_no_stack_trace() throws Exception {
        try {
            List<ILoggingEvent> events;
            try (LogCapture log = new LogCapture()) {
                sqs.stopAndWait();
                Thread.sleep(OUTAGE.toMillis());
                sqs = startSqs(sqsPort);
                await().atMost(Duration.ofSeconds(30)).until(() -> !log.mentioning("polling again").isEmpty());
                Thread.sleep(500);
                events = log.events();
            }
            List<ILoggingEvent> traces = events.stream().filter(e -> e.getThrowableProxy() != null).toList();
            List<ILoggingEvent> loud = events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
            assertThat(traces).as("stack traces during the outage:\n" + describe(traces)).isEmpty();
            assertThat(loud).as("WARN and ERROR lines during the outage:\n" + describe(loud)).hasSize(1);
            assertThat(loud.get(0).getFormattedMessage()).contains("SQS unavailable");
            assertThat(events.stream().filter(e -> e.getFormattedMessage().contains("polling again")).count())
                    .as("one line when it ends").isEqualTo(1);
        } finally {
            context.stop();
            sqs.stopAndWait();
        }
    }

    private static SQSRestServer startSqs(int port) {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        try (var client = SqsQueues.connect(AwsAccess.of("http://127.0.0.1:" + port, "us-east-1", "x", "x", null),
                "orders-events", true, 10, 10).client()) {
            client.listQueues();
        }
        return server;
    }

    private static String describe(List<ILoggingEvent> events) {
        return events.stream().map(e -> e.getLevel() + " [" + e.getThreadName() + "] " + e.getLoggerName() + " "
                        + e.getFormattedMessage().lines().findFirst().orElse("")
                        + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]"))
                .collect(Collectors.joining("\n"));
    }
}
