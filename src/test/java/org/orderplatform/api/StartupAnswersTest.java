package org.orderplatform.api;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Platform;
import org.orderplatform.support.RawHttp;
import org.orderplatform.support.TestDatabase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client or load balancer that arrives while the service starts is told to come back (503 JSON with
 * Retry-After), never that the resource does not exist (Vert.x's HTML 404 before Camel's routes are in), and never
 * left with a connection that was accepted and then closed or reset with nothing written. Several clients retry
 * from the moment the start begins, one connection per request, so that connections land on each step of the
 * start: the port check, the port opening, the routes coming in, the context completing.
 */
class StartupAnswersTest {
    private static final int CLIENTS = 4;

    @Test
    void requests_from_the_moment_the_port_opens_get_503_json_or_the_real_answer_never_a_404_nor_nothing() throws Exception {
        Map<String, String> p = Platform.defaults(new Db(TestDatabase.newDatabase("startup_answers")).url());
        p.put("orders.role", "api");
        RawHttp raw = new RawHttp(Integer.parseInt(p.get("camel.server.port")));
        AtomicInteger beforeStarted = new AtomicInteger();
        CompletableFuture<Platform> started = CompletableFuture.supplyAsync(() -> Platform.start(p));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> answered = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                answered.add(clients.submit(() -> retryUntilServed(raw, started, beforeStarted)));
            }
            for (Future<List<String>> client : answered) {
                List<String> answers = client.get(120, TimeUnit.SECONDS);
                assertThat(answers).isNotEmpty().allSatisfy(StartupAnswersTest::isA503OrTheRealAnswer);
                assertThat(answers.get(answers.size() - 1)).as("the last answer, once started").startsWith("HTTP/1.1 200");
            }
        } finally {
            clients.shutdownNow();
            started.get(90, TimeUnit.SECONDS).close();
        }
        System.out.printf("StartupAnswersTest: %d answers before the start completed%n", beforeStarted.get());
    }

    /**
     * One client in a tight loop, a new connection per request, until 10 answers after the start completed. A
     * refused connection is a port not open yet; any other failure is kept as the answer, for the assertions.
     */
    private static List<String> retryUntilServed(RawHttp raw, CompletableFuture<Platform> started, AtomicInteger beforeStarted) {
        List<String> answers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int afterStarted = 0;
        while (afterStarted < 10 && System.nanoTime() < deadline) {
            boolean wasStarted = started.isDone();
            String answer;
            try {
                answer = raw.getOrNull("/orders?limit=1");
            } catch (IOException e) {
                answer = "no answer: " + e;
            }
            if (answer == null) {
                continue;
            }
            answers.add(answer);
            if (wasStarted) {
                afterStarted++;
            } else {
                beforeStarted.incrementAndGet();
            }
        }
        return answers;
    }

    private static void isA503OrTheRealAnswer(String answer) {
        assertThat(answer).as("the server accepted a connection and closed it without writing a byte").isNotEmpty();
        assertThat(answer).as("a whole HTTP answer (not a reset or a truncated one)").startsWith("HTTP/1.1 ").contains("\r\n\r\n");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(answer).as("never a 404 or HTML").doesNotStartWith("HTTP/1.1 404").doesNotContainIgnoringCase("<html");
        assertThat(head).contains("content-type: application/json");
        if (answer.startsWith("HTTP/1.1 503")) {
            assertThat(head).contains("retry-after: 1");
            assertThat(answer).contains("{\"error\":\"unavailable\"");
        } else {
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
    }
}
