package org.orderplatform.api;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Platform;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check that fails the start on a taken HTTP port runs while clients may already be retrying against the
 * port: it must find a listener, and must never itself accept a connection it would then drop unanswered.
 */
class PortCheckTest {

    @Test
    void a_port_another_process_listens_on_fails_the_start() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress(0));
            assertThatThrownBy(() -> HttpServerGuard.checkPortFree(taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in use");
        }
    }

    @Test
    void checking_a_free_port_never_accepts_a_connection_of_a_client_retrying_meanwhile() throws Exception {
        int port = Platform.freePort();
        AtomicBoolean checking = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch trying = new CountDownLatch(1);
        Thread client = new Thread(() -> {
            while (checking.get()) {
                trying.countDown();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    accepted.incrementAndGet();
                } catch (ConnectException refused) {
                    // nothing listens: what a client must see until the server is up
                } catch (IOException reset) {
                    // accepted by the kernel, then reset when the check closed its socket
                    accepted.incrementAndGet();
                }
            }
        }, "retrying-client");
        client.start();
        trying.await();
        try {
            // a listening check let the client in 1 to 27 times per 2,000 checks on the shared 2-core machine
            for (int i = 0; i < 5000; i++) {
                HttpServerGuard.checkPortFree(port);
            }
        } finally {
            checking.set(false);
            client.join();
        }
        assertThat(accepted.get()).as("connections accepted on the port while it was only being checked, then dropped unanswered")
                .isZero();
    }
}
