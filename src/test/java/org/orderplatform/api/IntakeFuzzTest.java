package org.orderplatform.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of POST /orders: thousands of random bodies (valid orders, mutated orders and
 * junk) with random correlation ids and content types. Whatever comes in, the answer is a 202 or a JSON
 * 4xx, never a 5xx or a hang, and the database holds exactly the orders that were accepted.
 */
class IntakeFuzzTest {
    private static final Set<Integer> ALLOWED = Set.of(202, 400, 413, 415);
    private static Db db;
    private static Platform platform;
    private static Http http;
    private static final AtomicLong accepted = new AtomicLong();

    @BeforeContainer
    static void start() {
        db = new Db(TestDatabase.newDatabase("fuzz"));
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.role", "api");
        platform = Platform.start(p);
        http = new Http(platform.baseUrl());
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(db.count("SELECT count(*) FROM orders")).as("stored orders = accepted answers").isEqualTo(accepted.get());
            assertThat(db.count("SELECT count(*) FROM outbox")).isEqualTo(accepted.get());
        } finally {
            platform.close();
        }
    }

    @Property(tries = 2500)
    void any_request_gets_a_202_or_a_json_4xx(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType,
                                              @ForAll("correlationIds") String correlationId) {
        Http.Response r = http.post("/orders", contentType, body, "X-Correlation-Id", correlationId);
        assertThat(r.status()).as("%s %s", r.status(), r.body()).isIn(ALLOWED);
        if (r.status() == 202) {
            accepted.incrementAndGet();
            assertThat(r.json().get("status").asText()).isEqualTo("PENDING");
        } else {
            assertThat(r.json().get("error").asText()).isNotBlank();
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("SQL");
        }
        String echoed = r.header("X-Correlation-Id");
        assertThat(echoed).matches("[A-Za-z0-9._:-]{1,128}");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("application/json; charset=utf-8", "text/plain",
                        "application/json; charset=latin1", "application/x-www-form-urlencoded", "APPLICATION/JSON")));
    }

    @Provide
    Arbitrary<String> correlationIds() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(140),
                Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(40).map(s -> s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", "")),
                Arbitraries.just("x"));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, validOrders()),
                net.jqwik.api.Tuple.of(4, mutatedOrders()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "null", "[]", "{}", "{\"items\":[]}", "{\"a\":", "\"text\"",
                        "{\"customerId\":\"c\",\"customerId\":\"d\"}", "1e400", "{\"customerId\":" + "[".repeat(3000))));
    }

    private Arbitrary<String> validOrders() {
        Arbitrary<String> item = Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(64),
                Arbitraries.integers().between(1, 10_000),
                Arbitraries.bigDecimals().between(java.math.BigDecimal.ZERO, new java.math.BigDecimal("99999999.99")).ofScale(2))
                .as((sku, quantity, price) -> "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + price + "}");
        return Combinators.combine(
                Arbitraries.strings().withChars("abcdefABC0123._-").ofMinLength(1).ofMaxLength(64),
                Arbitraries.strings().withCharRange('A', 'Z').ofLength(3),
                item.list().ofMinSize(1).ofMaxSize(5))
                .as((customer, currency, items) -> "{\"customerId\":\"" + customer + "\",\"currency\":\"" + currency
                        + "\",\"items\":[" + String.join(",", items) + "]}");
    }

    private Arbitrary<String> mutatedOrders() {
        List<String> fields = List.of("\"customerId\"", "\"currency\"", "\"items\"", "\"sku\"", "\"quantity\"", "\"unitPrice\"");
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""),
                Arbitraries.of("null", "true", "-1", "0", "1.005", "1e400", "99999999999999999999", "[]", "{}", "\"\"",
                        "\"'; DROP TABLE orders; --\"", "\"\\u0000\"", "-0.01", "2.5", "\"2\""));
        return Combinators.combine(validOrders(), Arbitraries.of(fields), junk, Arbitraries.integers().between(0, 2))
                .as((order, field, value, how) -> switch (how) {
                    // replace the value of a field
                    case 0 -> order.replaceFirst(field + ":(\"[^\"]*\"|[-0-9.]+)", field + ":" + java.util.regex.Matcher.quoteReplacement(value));
                    // drop a field
                    case 1 -> order.replaceFirst(field + ":(\"[^\"]*\"|[-0-9.]+),?", "");
                    // add an unknown field
                    default -> order.replaceFirst("\\{", "{\"extra\":" + java.util.regex.Matcher.quoteReplacement(value) + ",");
                });
    }
}
