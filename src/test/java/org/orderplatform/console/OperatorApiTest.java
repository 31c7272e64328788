package org.orderplatform.console;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations the operator console uses (issue 11), on the real application: an order's history, the
 * lookup by correlation id, the overview's counts and bulk reprocess. The tests share one application (Camel's test
 * support, per class) and its DLQ, filled before the first test by its own worker while every attempt failed
 * (AdviceWith); from then on, attempts succeed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiTest extends PlatformTestSupport {
    private List<String> dead;
    private Http http;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.api.reprocess-max-ids", "5");
        // each dead letter fails once: its history is one failed attempt
        p.put("orders.retry.max-attempts", "1");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** Before the first test: six orders dead-lettered by the application, whose attempts succeed from then on. */
    @BeforeEach
    void deadLettered() throws Exception {
        if (dead == null) {
            http = http();
            dead = deadLetters(6, "op-dead");
        }
    }

    private long changes() {
        return db.count("SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM order_transitions)"
                + " + (SELECT count(*) FROM dlq) * 1000");
    }

    @Test
    void bulk_reprocess_needs_the_operator_token_and_writes_nothing_without_it() {
        long before = changes();
        String body = "{\"orderIds\":[\"" + dead.get(5) + "\"]}";
        for (Http client : new Http[] {Http.anonymous(baseUrl()), Http.withToken(baseUrl(), "wrong")}) {
            Http.Response r = client.post("/dlq/reprocess", "application/json", body);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(client.get("/stats").status()).isEqualTo(401);
        }
        assertThat(changes()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty body                 | ''                                          | invalid_json",
            "not JSON                   | '{\"orderIds\":['                            | invalid_json",
            "an array, not an object    | '[]'                                        | invalid_json",
            "missing field              | '{}'                                        | missing_field",
            "unknown field              | '{\"orderIds\":[],\"force\":true}'            | unknown_field",
            "duplicate key              | '{\"orderIds\":[],\"orderIds\":[]}'           | invalid_json",
            "not an array               | '{\"orderIds\":\"a\"}'                        | invalid_field",
            "empty list                 | '{\"orderIds\":[]}'                           | invalid_field",
            "not a UUID                 | '{\"orderIds\":[\"not-a-uuid\"]}'             | invalid_field",
            "a number                   | '{\"orderIds\":[42]}'                         | invalid_field",
            "UUID without dashes        | '{\"orderIds\":[\"123e4567e89b12d3a456426614174000\"]}' | invalid_field",
    })
    void bulk_reprocess_refuses_a_bad_list_with_400_and_writes_nothing(String name, String body, String code) {
        long before = changes();
        Http.Response r = http.post("/dlq/reprocess", "application/json", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo(code);
        assertThat(r.json().get("message").asText()).isNotBlank().doesNotContain("com.fasterxml", "Exception");
        assertThat(changes()).isEqualTo(before);
    }

    @Test
    void bulk_reprocess_refuses_repeated_ids_too_many_ids_and_other_media_types() {
        long before = changes();
        String id = dead.get(5);
        Http.Response repeated = http.post("/dlq/reprocess", "application/json",
                "{\"orderIds\":[\"" + id + "\",\"" + UUID.randomUUID() + "\",\"" + id.toUpperCase() + "\"]}");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.json().get("message").asText()).isEqualTo("orderIds[2] repeats orderIds[0]: give each order once");

        String six = IntStream.range(0, 6).mapToObj(i -> "\"" + UUID.randomUUID() + "\"").collect(Collectors.joining(","));
        Http.Response tooMany = http.post("/dlq/reprocess", "application/json", "{\"orderIds\":[" + six + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("message").asText()).isEqualTo("orderIds must be an array of 1-5 order ids");

        Http.Response form = http.post("/dlq/reprocess", "text/plain", "{\"orderIds\":[\"" + id + "\"]}");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(changes()).isEqualTo(before);
    }

    @Test
    void bulk_reprocess_answers_per_id_in_order_and_the_reprocessed_orders_reach_processed() {
        String unknown = UUID.randomUUID().toString();
        // an order with a DLQ entry that is not FAILED (a concurrent reprocess and a stale entry): the 409 case
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        String notFailed = http.createOrder();
        awaitProcessed(attempt, notFailed);
        db.update("INSERT INTO dlq (order_id, reason, retry_count, correlation_id) VALUES (?::uuid, 'stale', 1, 'x')",
                notFailed);
        String first = dead.get(0);
        String second = dead.get(1);

        NotifyBuilder attempts = whenSentAndDone("direct:process-order", 2);
        Http.Response r = http.post("/dlq/reprocess", "application/json",
                "{\"orderIds\":[\"" + first + "\",\"" + unknown + "\",\"" + notFailed + "\",\"" + second + "\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode answer = r.json();
        assertThat(answer.get("reprocessed").asInt()).isEqualTo(2);
        assertThat(answer.get("refused").asInt()).isEqualTo(2);
        List<String> results = new ArrayList<>();
        answer.get("results").forEach(n -> results.add(n.get("orderId").asText() + "=" + n.get("result").asText()));
        assertThat(results).containsExactly(first + "=reprocessed", unknown + "=dlq_entry_not_found",
                notFailed + "=invalid_state", second + "=reprocessed");
        assertThat(answer.get("results").get(1).get("message").asText()).isEqualTo("no DLQ entry for order " + unknown);
        assertThat(answer.get("results").get(0).has("message")).isFalse();
        assertThat(answer.get("results").get(0).has("event")).isFalse();

        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id IN (?::uuid, ?::uuid)", first, second)).isZero();
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", notFailed)).as("409 keeps the entry").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE event_type = 'OrderReprocessed' AND order_id IN (?::uuid, ?::uuid)",
                first, second)).isEqualTo(2);
        awaitProcessed(attempts, first, second);

        JsonNode history = http.get("/orders/" + first + "/transitions").json();
        List<String> steps = new ArrayList<>();
        history.forEach(t -> steps.add(t.get("from").asText() + ">" + t.get("to").asText() + "@" + t.get("attempt").asInt()));
        assertThat(steps).containsExactly("PROCESSING>FAILED@1", "FAILED>PENDING@0", "PROCESSING>PROCESSED@1");
        assertThat(history.get(0).get("reason").asText()).isEqualTo("injected failure (AdviceWith)");
        assertThat(history.get(0).get("worker").asText()).isNotBlank();
        assertThat(history.get(1).get("reason").asText()).isEqualTo("reprocessed by an operator");
        assertThat(history.get(1).get("worker").isNull()).isTrue();
        assertThat(history.get(2).get("reason").isNull()).isTrue();
        assertThat(history.get(0).get("at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

        Http.Response again = http.post("/dlq/reprocess", "application/json", "{\"orderIds\":[\"" + first + "\"]}");
        assertThat(again.json().get("results").get(0).get("result").asText()).isEqualTo("dlq_entry_not_found");
    }

    @Test
    void the_single_reprocess_keeps_its_answers_on_the_shared_statement() {
        String id = dead.get(2);
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        Http.Response r = http.post("/dlq/" + id + "/reprocess", null, null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(http.post("/dlq/" + id + "/reprocess", null, null).json().get("error").asText())
                .isEqualTo("dlq_entry_not_found");
        awaitProcessed(attempt, id);
    }

    @Test
    void transitions_refuse_a_bad_id_answer_404_for_an_unknown_order_and_open_without_token() {
        Http anonymous = Http.anonymous(baseUrl());
        Http.Response bad = anonymous.get("/orders/not-a-uuid/transitions");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid_id");
        String unknown = UUID.randomUUID().toString();
        Http.Response missing = anonymous.get("/orders/" + unknown + "/transitions");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("order_not_found");
        Http.Response failed = anonymous.get("/orders/" + dead.get(3) + "/transitions");
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.json()).hasSize(1);
        assertThat(failed.json().get(0).get("to").asText()).isEqualTo("FAILED");
    }

    @Test
    void orders_are_found_by_correlation_id_and_a_bad_one_is_refused() {
        JsonNode found = http.get("/orders?correlationId=op-dead-4").json();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id").asText()).isEqualTo(dead.get(3));
        assertThat(http.get("/orders?correlationId=op-dead-4&status=PROCESSED").json()).isEmpty();
        assertThat(http.get("/orders?correlationId=op-dead-4&status=FAILED").json()).hasSize(1);
        assertThat(http.get("/orders?correlationId=nobody-has-this").json()).isEmpty();
        for (String bad : new String[] {"has%20space", "", "a%0Ab", "x".repeat(129), "a&correlationId=b"}) {
            Http.Response r = http.get("/orders?correlationId=" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_parameter");
        }
    }

    @Test
    void stats_count_orders_by_status_the_outbox_backlog_and_the_dlq_from_the_database() {
        JsonNode s = http.get("/stats").json();
        JsonNode orders = s.get("orders");
        for (String status : new String[] {"PENDING", "PROCESSING", "PROCESSED", "FAILED"}) {
            assertThat(orders.has(status)).as(status).isTrue();
        }
        long sum = orders.get("PENDING").asLong() + orders.get("PROCESSING").asLong()
                + orders.get("PROCESSED").asLong() + orders.get("FAILED").asLong();
        assertThat(orders.get("total").asLong()).isEqualTo(sum).isGreaterThanOrEqualTo(6);
        assertThat(s.get("dlq").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(s.get("outbox").get("backlog").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(s.get("outbox").has("oldestAgeSeconds")).isTrue();
        assertThat(s.get("at").asText()).endsWith("Z");
        // no orders move while the DLQ entry of dead[4] and dead[5] stay: the FAILED count covers them
        assertThat(orders.get("FAILED").asLong()).isGreaterThanOrEqualTo(2);
    }

    /** Waits for the attempts, then for their completion statement (on the outbox, once for the whole batch). */
    private void awaitProcessed(NotifyBuilder attempts, String... ids) {
        awaitRoute(attempts, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> Stream.of(ids).allMatch(id -> "PROCESSED".equals(status(id))));
    }

    private String status(String id) {
        return http.get("/orders/" + id).json().get("status").asText();
    }
}
