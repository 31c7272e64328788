package org.orderplatform.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.RawHttp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's mistakes are the client's problem: 50 each of malformed chunk sizes, a disconnect in the middle of
 * the body and a bad percent escape in the path write no WARN or ERROR line and no stack trace, and at most a
 * few short lines below WARN (one per report interval), not one per request.
 */
class ClientMistakeLogsTest extends PlatformTestSupport {
    private static final int EACH = 50;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "api");
    }

    @Test
    void malformed_chunks_disconnects_mid_body_and_bad_path_escapes_log_no_warning_and_no_stack_trace() throws Exception {
        RawHttp raw = rawHttp();
        List<ILoggingEvent> events;
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < EACH; i++) {
                String badChunk = raw.exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
                // answered 400 JSON, unless the close after it reset the connection before the client read it
                assertThat(badChunk).satisfiesAnyOf(a -> assertThat(a).isEmpty(),
                        a -> assertThat(a).startsWith("HTTP/1.1 400").contains("{\"error\":\"invalid_request\""));
                raw.sendAndReset("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 500\r\n\r\n{\"customerId\":\"c-1\",");
                raw.exchange("GET /orders/%ZZ%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            }
            // the server is still fine, and whatever it logs about the disconnects has been written
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertThat(raw.exchange("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            events = log.events();
        }
        String loud = describe(events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList());
        String traces = describe(events.stream().filter(e -> e.getThrowableProxy() != null).toList());
        assertThat(loud).as("WARN or ERROR lines for client mistakes").isEmpty();
        assertThat(traces).as("stack traces for client mistakes").isEmpty();
        List<ILoggingEvent> aboutClients = events.stream()
                .filter(e -> e.getLoggerName().startsWith("org.orderplatform.infra.Http")
                        || e.getLoggerName().startsWith("io.vertx") || e.getLoggerName().startsWith("io.netty")
                        || e.getLoggerName().startsWith("org.apache.camel.component.platform"))
                .toList();
        assertThat(aboutClients.size()).as(describe(aboutClients)).isLessThanOrEqualTo(3);
        assertThat(aboutClients).allSatisfy(e -> assertThat(e.getFormattedMessage().length()).isLessThan(300));
    }

    private static String describe(List<ILoggingEvent> events) {
        return events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]"))
                .collect(Collectors.joining("\n"));
    }
}
