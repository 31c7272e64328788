package org.orderplatform.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.RawHttp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle and slow clients against the real application, with small limits so that the test is short: a slowloris
 * sending a header a byte at a time and a body that never completes are cut off while a normal client is served
 * meanwhile; an idle connection is closed; connections over the cap are refused with 503 and the next one after a
 * slot frees up is served. Normal requests here use raw sockets with {@code Connection: close}, so that no pooled
 * connection of a test client counts against the cap. The five tests share one application (Camel's test support,
 * per class): a boot each would cost more than the tests themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServerLimitsTest extends PlatformTestSupport {
    private static final int HEADER_TIMEOUT_MS = 1000;
    private static final int BODY_TIMEOUT_MS = 1000;
    private static final int IDLE_TIMEOUT_MS = 1500;
    private static final int MAX_CONNECTIONS = 6;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "api");
        p.put("orders.http.header-timeout-ms", String.valueOf(HEADER_TIMEOUT_MS));
        p.put("orders.http.body-timeout-ms", String.valueOf(BODY_TIMEOUT_MS));
        p.put("orders.http.idle-timeout-ms", String.valueOf(IDLE_TIMEOUT_MS));
        p.put("orders.http.max-connections", String.valueOf(MAX_CONNECTIONS));
    }

    /**
     * The server frees a slot when it has seen a connection close, a moment after the client closed it: without
     * this wait, a test that follows the cap test could find the slots of its six closed connections still taken.
     */
    @BeforeEach
    void waitForFreeSlots() {
        await("the server frees the slots of closed connections").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> rawHttp().exchange("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .startsWith("HTTP/1.1 200"));
    }

    @Test
    void a_slowloris_sending_a_header_a_byte_at_a_time_is_cut_off_while_a_normal_client_is_served() throws Exception {
        try (Socket slow = rawHttp().connect()) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /orders HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean cutOff = false;
            int normalServed = 0;
            // one header byte every 100 ms: never idle, never done
            while (elapsedMs(start) < HEADER_TIMEOUT_MS * 5L) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    cutOff = true;
                    break;
                }
                if (normalServed < 3) {
                    assertThat(rawHttp().exchange("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                            .as("a normal client is served while the slowloris dribbles").startsWith("HTTP/1.1 200");
                    normalServed++;
                }
                if (RawHttp.closedByServer(slow, 100)) {
                    cutOff = true;
                    break;
                }
            }
            assertThat(cutOff).as("the slowloris's connection is closed").isTrue();
            assertThat(elapsedMs(start)).isBetween((long) HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS * 4L);
            assertThat(normalServed).isEqualTo(3);
        }
    }

    @Test
    void a_body_that_never_completes_is_cut_off_while_a_normal_client_is_served() throws Exception {
        try (Socket slow = rawHttp().connect()) {
            slow.getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"customerId\":").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(rawHttp().exchange("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            String answer = RawHttp.readUntilClosed(slow, HEADER_TIMEOUT_MS * 4);
            assertThat(answer).as("closed without an answer: no request was dispatched").isEmpty();
            assertThat(elapsedMs(start)).isBetween((long) BODY_TIMEOUT_MS - 100, BODY_TIMEOUT_MS * 4L);
        }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_after_the_header_timeout() throws Exception {
        try (Socket silent = rawHttp().connect()) {
            long start = System.nanoTime();
            assertThat(RawHttp.readUntilClosed(silent, HEADER_TIMEOUT_MS * 4)).isEmpty();
            assertThat(elapsedMs(start)).isBetween((long) HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS * 4L);
        }
    }

    @Test
    void a_kept_alive_connection_is_closed_after_the_idle_timeout() throws Exception {
        try (Socket kept = rawHttp().connect()) {
            kept.getOutputStream().write("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = RawHttp.readUntilClosed(kept, IDLE_TIMEOUT_MS * 4);
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(elapsedMs(start)).isBetween((long) IDLE_TIMEOUT_MS - 100, IDLE_TIMEOUT_MS * 4L);
        }
    }

    @Test
    void connections_over_the_cap_are_answered_503_and_a_freed_slot_serves_the_next_client() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                held.add(rawHttp().connect());
            }
            // the server counts a connection once it has set it up: a request on the last one proves all are counted
            Socket last = held.get(held.size() - 1);
            last.getOutputStream().write("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.readAvailable(last, 2000)).startsWith("HTTP/1.1 200");

            try (Socket over = rawHttp().connect()) {
                String refused = RawHttp.readUntilClosed(over, 2000);
                assertThat(refused).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                        .contains("{\"error\":\"unavailable\"");
            }
            held.remove(0).close();
            // the freed slot serves the next client once the server has seen the close, however long that takes
            waitForFreeSlots();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
