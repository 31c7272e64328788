package org.orderplatform.api;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Platform;
import org.orderplatform.support.RawHttp;
import org.orderplatform.support.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client or load balancer that arrives while the service starts is told to come back (503 JSON with
 * Retry-After), never that the resource does not exist (Vert.x's HTML 404 before Camel's routes are in).
 */
class StartupAnswersTest {

    @Test
    void requests_from_the_moment_the_port_opens_get_503_json_or_the_real_answer_never_a_404() throws Exception {
        Map<String, String> p = Platform.defaults(new Db(TestDatabase.newDatabase("startup_answers")).url());
        p.put("orders.role", "api");
        RawHttp raw = new RawHttp(Integer.parseInt(p.get("camel.server.port")));
        CompletableFuture<Platform> started = CompletableFuture.supplyAsync(() -> Platform.start(p));
        List<String> answers = new ArrayList<>();
        int beforeStarted = 0;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int afterStarted = 0;
            // a tight loop, one connection per request, until 20 answers after the start completed
            while (afterStarted < 20 && System.nanoTime() < deadline) {
                String answer = raw.getOrNull("/orders?limit=1");
                if (answer == null) {
                    continue; // the port is not open yet
                }
                answers.add(answer);
                if (started.isDone()) {
                    afterStarted++;
                } else {
                    beforeStarted++;
                }
            }
        } finally {
            started.get(90, TimeUnit.SECONDS).close();
        }
        System.out.printf("StartupAnswersTest: %d answers before the start completed, %d in all%n", beforeStarted,
                answers.size());
        assertThat(answers).isNotEmpty().allSatisfy(answer -> {
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(answer).as("never a 404 or HTML").doesNotStartWith("HTTP/1.1 404").doesNotContainIgnoringCase("<html");
            assertThat(head).contains("content-type: application/json");
            if (answer.startsWith("HTTP/1.1 503")) {
                assertThat(head).contains("retry-after: 1");
                assertThat(answer).contains("{\"error\":\"unavailable\"");
            } else {
                assertThat(answer).startsWith("HTTP/1.1 200");
            }
        });
        assertThat(answers.get(answers.size() - 1)).startsWith("HTTP/1.1 200");
    }
}
