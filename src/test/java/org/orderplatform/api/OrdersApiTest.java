package org.orderplatform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.RawHttp;
import org.orderplatform.support.RawHttp.Conversation;
import org.orderplatform.support.RawHttp.Reply;
import org.orderplatform.support.RawHttp.Req;
import org.orderplatform.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API of the real application (Camel Main, platform-http-vertx, real PostgreSQL): every endpoint's
 * success path and a table of bad inputs, each refused with the exact status and error code, a message
 * naming the field or rule, no internals in the body, and nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersApiTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final String VALID_ITEM = "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":19.99}";

    private Http http;
    private RawHttp raw;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "api");
    }

    /** The clients of the one application the tests share (Camel's test support, per class). */
    @BeforeEach
    void clients() {
        http = http();
        raw = rawHttp();
    }

    private static Map<String, String> config(Db database, String... overrides) {
        return Platform.defaults(database.url(), overrides);
    }

    // ------------------------------------------------------------------------------------------------
    // Success paths
    // ------------------------------------------------------------------------------------------------

    @Test
    void post_orders_accepts_stores_order_and_event_and_computes_the_total_server_side() {
        String body = "{\"customerId\":\"c-42\",\"currency\":\"EUR\",\"items\":["
                + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":19.99},"
                + "{\"sku\":\"SKU-2\",\"quantity\":3,\"unitPrice\":0.10}]}";
        Reply r = raw.send(Req.post("/orders", "application/json", body).header("X-Correlation-Id", "client-cid-1"));

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode json = r.json();
        assertThat(fieldNames(json)).containsExactly("orderId", "status", "correlationId");
        String id = json.get("orderId").asText();
        assertThat(id).matches(UUID_TEXT);
        assertThat(json.get("status").asText()).isEqualTo("PENDING");
        assertThat(json.get("correlationId").asText()).isEqualTo("client-cid-1");
        assertThat(r.header("Location")).isEqualTo("/orders/" + id);
        assertThat(r.header("X-Correlation-Id")).isEqualTo("client-cid-1");
        assertThat(r.header("Content-Type")).startsWith("application/json");

        Map<String, Object> row = db.query("SELECT customer_id, currency, total, status, correlation_id, retry_count"
                + " FROM orders WHERE id = ?::uuid", id).get(0);
        assertThat(row.get("customer_id")).isEqualTo("c-42");
        assertThat(row.get("currency")).isEqualTo("EUR");
        assertThat((BigDecimal) row.get("total")).isEqualByComparingTo("40.28");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("correlation_id")).isEqualTo("client-cid-1");
        assertThat(row.get("retry_count")).isEqualTo(0);
        List<Map<String, Object>> events = db.query(
                "SELECT event_type, status, correlation_id, payload::text AS payload FROM outbox WHERE order_id = ?::uuid", id);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event_type")).isEqualTo("OrderCreated");
        assertThat(events.get(0).get("status")).isEqualTo("PENDING");
        assertThat(events.get(0).get("correlation_id")).isEqualTo("client-cid-1");
        assertThat((String) events.get(0).get("payload")).contains(id);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("jsonContentTypes")
    void every_spelling_of_json_in_utf8_that_rfc_9110_allows_is_accepted(String contentType) {
        Reply r = raw.send(Req.post("/orders", contentType, Http.VALID_ORDER));
        assertThat(r.status()).as(contentType + " -> " + r.text()).isEqualTo(202);
    }

    static Stream<String> jsonContentTypes() {
        return Stream.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                "application/json; charset=\"utf-8\"", "APPLICATION/JSON; CHARSET=\"UTF-8\"", "Application/Json",
                "application/json ; charset=utf-8", "application/json;;charset=utf-8;", "application/json;\tcharset=utf-8",
                "application/json; charset=\"utf\\-8\"", "application/json; version=1; charset=utf-8");
    }

    @Test
    void post_orders_generates_a_uuid_correlation_id_when_none_is_sent() {
        Reply r = raw.send(Req.post("/orders", "application/json", Http.VALID_ORDER));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String cid = r.header("X-Correlation-Id");
        assertThat(cid).matches(UUID_TEXT);
        assertThat(r.json().get("correlationId").asText()).isEqualTo(cid);
        String id = r.json().get("orderId").asText();
        assertThat(db.query("SELECT correlation_id FROM orders WHERE id = ?::uuid", id).get(0).get("correlation_id"))
                .isEqualTo(cid);
    }

    @Test
    void a_utf8_byte_order_mark_before_the_json_is_ignored() {
        byte[] body = concat("", bytes(0xEF, 0xBB, 0xBF), Http.VALID_ORDER);
        Reply r = raw.send(Req.post("/orders", "application/json", body));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    @Test
    void post_orders_accepts_the_boundaries_of_every_field() {
        String customerId = "A".repeat(60) + "._-9";
        String sku = "S".repeat(63) + "\u00e9"; // 64 code points, non-ASCII is fine in a sku
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(i == 0 ? sku : "s" + i)
                    .append("\",\"quantity\":").append(i == 0 ? 10000 : 1)
                    .append(",\"unitPrice\":").append(i == 0 ? "99999999.99" : i == 1 ? "0" : "0.5").append('}');
        }
        String body = "{\"customerId\":\"" + customerId + "\",\"currency\":\"USD\",\"items\":[" + items + "]}";
        Reply r = raw.send(Req.post("/orders", "application/json; charset=UTF-8", body));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("orderId").asText();

        JsonNode order = http.get("/orders/" + id).json();
        assertThat(order.get("customerId").asText()).isEqualTo(customerId);
        assertThat(order.get("items")).hasSize(100);
        assertThat(order.get("items").get(0).get("sku").asText()).isEqualTo(sku);
        // 99999999.99 x 10000 + 0 x 1 + 98 x 0.5
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("999999999949.00");
        assertThat((BigDecimal) db.query("SELECT total FROM orders WHERE id = ?::uuid", UUID.fromString(id)).get(0).get("total"))
                .isEqualByComparingTo("999999999949.00");
    }

    @Test
    void sql_metacharacters_in_a_sku_are_accepted_and_stored_verbatim() {
        String sku = "x'); DROP TABLE orders; -- \"\\ %_ $1 ;";
        String body = "{\"customerId\":\"c-sql\",\"currency\":\"EUR\",\"items\":[{\"sku\":"
                + jsonString(sku) + ",\"quantity\":1,\"unitPrice\":1}]}";
        Reply r = raw.send(Req.post("/orders", "application/json", body));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("orderId").asText();

        assertThat(db.query("SELECT items->0->>'sku' AS sku FROM orders WHERE id = ?::uuid", id).get(0).get("sku"))
                .isEqualTo(sku);
        assertThat(http.get("/orders/" + id).json().get("items").get(0).get("sku").asText()).isEqualTo(sku);
        assertThat(db.count("SELECT count(*) FROM orders")).isPositive();
    }

    @Test
    void visible_characters_of_any_script_and_inner_spaces_are_accepted_in_a_sku() {
        for (String sku : List.of("Gr\u00f6\u00dfe-\u00c4", "\u5546\u54c1-1", "RED SHIRT L", "\ud83d\udce6-1", "\u05e9\u05dc\u05d5\u05dd")) {
            String body = withItem(jsonString(sku), "1", "1");
            Reply r = raw.send(Req.post("/orders", "application/json", body));
            assertThat(r.status()).as(sku + " -> " + r.text()).isEqualTo(202);
            String id = r.json().get("orderId").asText();
            assertThat(http.get("/orders/" + id).json().get("items").get(0).get("sku").asText()).isEqualTo(sku);
        }
    }

    @Test
    void get_order_returns_every_field_with_iso_utc_timestamps() {
        String body = "{\"customerId\":\"c-get\",\"currency\":\"CHF\",\"items\":["
                + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":19.99},"
                + "{\"sku\":\"SKU-2\",\"quantity\":3,\"unitPrice\":0.10}]}";
        Reply created = raw.send(Req.post("/orders", "application/json", body).header("X-Correlation-Id", "get-cid"));
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        String id = created.json().get("orderId").asText();

        Reply r = raw.send(Req.get("/orders/" + id).header("X-Correlation-Id", "reader-cid"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("X-Correlation-Id")).isEqualTo("reader-cid");
        JsonNode o = r.json();
        assertThat(fieldNames(o)).containsExactlyInAnyOrder("id", "status", "customerId", "currency", "items", "total",
                "retryCount", "failureReason", "correlationId", "createdAt", "updatedAt");
        assertThat(o.get("id").asText()).isEqualTo(id);
        assertThat(o.get("status").asText()).isEqualTo("PENDING");
        assertThat(o.get("customerId").asText()).isEqualTo("c-get");
        assertThat(o.get("currency").asText()).isEqualTo("CHF");
        assertThat(o.get("items")).hasSize(2);
        assertThat(o.get("items").get(0).get("sku").asText()).isEqualTo("SKU-1");
        assertThat(o.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(o.get("items").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(o.get("items").get(1).get("unitPrice").decimalValue()).isEqualByComparingTo("0.10");
        assertThat(o.get("total").isNumber()).isTrue();
        assertThat(o.get("total").decimalValue()).isEqualByComparingTo("40.28");
        assertThat(o.get("retryCount").asInt()).isZero();
        assertThat(o.get("failureReason").isNull()).isTrue();
        assertThat(o.get("correlationId").asText()).isEqualTo("get-cid");
        assertThat(o.get("createdAt").asText()).matches(ISO_UTC);
        assertThat(o.get("updatedAt").asText()).matches(ISO_UTC);

        Timestamp stored = (Timestamp) db.query("SELECT created_at FROM orders WHERE id = ?::uuid", id).get(0).get("created_at");
        assertThat(Instant.parse(o.get("createdAt").asText()))
                .isEqualTo(stored.toInstant().truncatedTo(ChronoUnit.MILLIS));

        // an upper-case id is the same UUID
        assertThat(http.get("/orders/" + id.toUpperCase(Locale.ROOT)).status()).isEqualTo(200);
    }

    @Test
    void get_order_shows_a_failure_reason_and_retry_count() {
        String id = http.createOrder();
        db.update("UPDATE orders SET status = 'FAILED', retry_count = 3, failure_reason = 'gateway said no',"
                + " updated_at = timestamptz '2031-02-03 04:05:06.789+02' WHERE id = ?::uuid", UUID.fromString(id));
        JsonNode o = http.get("/orders/" + id).json();
        assertThat(o.get("status").asText()).isEqualTo("FAILED");
        assertThat(o.get("retryCount").asInt()).isEqualTo(3);
        assertThat(o.get("failureReason").asText()).isEqualTo("gateway said no");
        assertThat(o.get("updatedAt").asText()).isEqualTo("2031-02-03T02:05:06.789Z");
    }

    @Test
    void list_orders_is_newest_first_filters_by_status_and_respects_the_limit() {
        String a = http.createOrder();
        String b = http.createOrder();
        String c = http.createOrder();
        // make them the newest orders of the database, in a known order, and give them distinct statuses
        setCreatedAt(a, "2099-01-01T00:00:01Z");
        setCreatedAt(b, "2099-01-01T00:00:02Z");
        setCreatedAt(c, "2099-01-01T00:00:03Z");
        db.update("UPDATE orders SET status = 'PROCESSED' WHERE id = ?::uuid", UUID.fromString(b));

        Reply r = raw.send(Req.get("/orders?limit=3"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(ids(r.json())).containsExactly(c, b, a);
        assertThat(r.json().get(0).get("createdAt").asText()).isEqualTo("2099-01-01T00:00:03.000Z");

        assertThat(ids(http.get("/orders?limit=1").json())).containsExactly(c);
        assertThat(ids(http.get("/orders?limit=2").json())).containsExactly(c, b);

        JsonNode all = http.get("/orders?limit=500").json();
        assertThat(all.size()).isEqualTo((int) Math.min(500, db.count("SELECT count(*) FROM orders")));
        List<Instant> created = new ArrayList<>();
        all.forEach(o -> created.add(Instant.parse(o.get("createdAt").asText())));
        assertThat(created).isSortedAccordingTo((x, y) -> y.compareTo(x));

        // default limit applies without the parameter
        assertThat(http.get("/orders").json().size()).isEqualTo((int) Math.min(50, db.count("SELECT count(*) FROM orders")));

        JsonNode processed = http.get("/orders?status=PROCESSED&limit=500").json();
        assertThat(ids(processed)).contains(b).doesNotContain(a, c);
        assertThat(processed).allSatisfy(o -> assertThat(o.get("status").asText()).isEqualTo("PROCESSED"));
        assertThat(processed.size()).isEqualTo((int) db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'"));

        JsonNode pending = http.get("/orders?status=pending&limit=2").json();
        assertThat(ids(pending)).containsExactly(c, a);

        assertThat(http.get("/orders?status=PROCESSING").json()).isEmpty();
    }

    @Test
    void list_dlq_is_newest_first_and_respects_the_limit() {
        String older = http.createOrder("X-Correlation-Id", "dlq-older");
        String newer = http.createOrder("X-Correlation-Id", "dlq-newer");
        deadLetter(older, "2098-05-05T10:00:00Z", "reason one");
        deadLetter(newer, "2098-05-05T11:00:00Z", "reason two");

        Reply r = raw.send(Req.get("/dlq?limit=2"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode dlq = r.json();
        assertThat(dlq).hasSize(2);
        assertThat(dlq.get(0).get("orderId").asText()).isEqualTo(newer);
        assertThat(dlq.get(1).get("orderId").asText()).isEqualTo(older);
        assertThat(fieldNames(dlq.get(0))).containsExactlyInAnyOrder("orderId", "reason", "retryCount", "failedAt", "correlationId");
        assertThat(dlq.get(0).get("reason").asText()).isEqualTo("reason two");
        assertThat(dlq.get(0).get("retryCount").asInt()).isEqualTo(3);
        assertThat(dlq.get(0).get("failedAt").asText()).isEqualTo("2098-05-05T11:00:00.000Z");
        assertThat(dlq.get(0).get("correlationId").asText()).isEqualTo("dlq-newer");

        JsonNode one = http.get("/dlq?limit=1").json();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("orderId").asText()).isEqualTo(newer);
        assertThat(http.get("/dlq").json().size()).isEqualTo((int) Math.min(50, db.count("SELECT count(*) FROM dlq")));
    }

    @Test
    void reprocess_resets_a_failed_order_writes_a_new_event_and_answers_202() {
        String id = http.createOrder("X-Correlation-Id", "reprocess-me");
        deadLetter(id, "2097-01-01T00:00:00Z", "boom");
        long eventsBefore = db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid", UUID.fromString(id));

        Reply r = raw.send(Req.post("/dlq/" + id + "/reprocess", null, (byte[]) null).header("X-Correlation-Id", "operator-1"));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("orderId").asText()).isEqualTo(id);
        assertThat(r.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(r.header("Location")).isEqualTo("/orders/" + id);
        assertThat(r.header("X-Correlation-Id")).isEqualTo("operator-1");

        Map<String, Object> order = db.query("SELECT status, retry_count, failure_reason FROM orders WHERE id = ?::uuid",
                UUID.fromString(id)).get(0);
        assertThat(order.get("status")).isEqualTo("PENDING");
        assertThat(order.get("retry_count")).isEqualTo(0);
        assertThat(order.get("failure_reason")).isNull();
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", UUID.fromString(id))).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid", UUID.fromString(id)))
                .isEqualTo(eventsBefore + 1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid AND event_type = 'OrderReprocessed'"
                + " AND correlation_id = 'reprocess-me'", UUID.fromString(id))).isEqualTo(1);

        // the entry is gone: a second reprocess is a 404 and changes nothing
        long stored = db.storedRows();
        Reply again = raw.send(Req.post("/dlq/" + id + "/reprocess", null, (byte[]) null));
        assertErrorBody(again, 404, "dlq_entry_not_found", id);
        assertThat(db.storedRows()).isEqualTo(stored);
    }

    @Test
    void reprocess_without_a_dlq_entry_is_404_and_with_an_order_that_is_not_failed_is_409() {
        String noEntry = http.createOrder();
        long stored = db.storedRows();
        assertErrorBody(raw.send(Req.post("/dlq/" + noEntry + "/reprocess", null, (byte[]) null)), 404, "dlq_entry_not_found", noEntry);
        String unknown = UUID.randomUUID().toString();
        assertErrorBody(raw.send(Req.post("/dlq/" + unknown + "/reprocess", null, (byte[]) null)), 404, "dlq_entry_not_found", unknown);
        assertThat(db.storedRows()).isEqualTo(stored);

        // a DLQ entry exists but the order is PENDING (inconsistent state arranged by SQL)
        String pending = http.createOrder();
        db.update("INSERT INTO dlq (order_id, reason, retry_count, correlation_id) VALUES (?::uuid, 'stale', 3, 'x')",
                UUID.fromString(pending));
        stored = db.storedRows();
        Reply conflict = raw.send(Req.post("/dlq/" + pending + "/reprocess", null, (byte[]) null));
        assertErrorBody(conflict, 409, "invalid_state", pending);
        assertThat(conflict.json().get("message").asText()).contains("FAILED");
        assertThat(db.storedRows()).isEqualTo(stored);
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", UUID.fromString(pending))).isEqualTo(1);
        assertThat(db.query("SELECT status FROM orders WHERE id = ?::uuid", UUID.fromString(pending)).get(0).get("status"))
                .isEqualTo("PENDING");
    }

    @Test
    void the_real_worker_dead_letters_an_order_and_the_dlq_and_reprocess_endpoints_see_it() {
        Db workerDb = new Db(TestDatabase.newDatabase("orders_api_worker"));
        try (Platform all = Platform.start(config(workerDb, "orders.role", "all",
                "orders.processing.failure-probability", "1.0", "orders.retry.max-attempts", "1"))) {
            Http client = new Http(all.baseUrl());
            String first = client.createOrder("X-Correlation-Id", "dlq-first");
            await().atMost(Duration.ofSeconds(30)).until(() -> dlqCount(workerDb, first) == 1);
            String second = client.createOrder("X-Correlation-Id", "dlq-second");
            await().atMost(Duration.ofSeconds(30)).until(() -> dlqCount(workerDb, second) == 1);

            JsonNode dlq = client.get("/dlq").json();
            assertThat(dlq).hasSize(2);
            assertThat(dlq.get(0).get("orderId").asText()).isEqualTo(second);
            assertThat(dlq.get(1).get("orderId").asText()).isEqualTo(first);
            assertThat(dlq.get(0).get("correlationId").asText()).isEqualTo("dlq-second");
            assertThat(dlq.get(0).get("retryCount").asInt()).isEqualTo(1);
            assertThat(dlq.get(0).get("reason").asText()).contains("simulated processing failure");
            assertThat(dlq.get(0).get("failedAt").asText()).matches(ISO_UTC);
            assertThat(client.get("/dlq?limit=1").json()).hasSize(1);
            assertThat(client.get("/dlq?limit=1").json().get(0).get("orderId").asText()).isEqualTo(second);
            assertThat(client.get("/orders/" + first).json().get("status").asText()).isEqualTo("FAILED");
            assertThat(client.get("/orders?status=FAILED").json()).hasSize(2);

            Http.Response reprocess = client.post("/dlq/" + first + "/reprocess", null, null);
            assertThat(reprocess.status()).as(reprocess.body()).isEqualTo(202);
            assertThat(reprocess.json().get("orderId").asText()).isEqualTo(first);
            assertThat(reprocess.header("Location")).isEqualTo("/orders/" + first);
            // the worker takes the new event, fails again (probability 1.0) and parks it again
            await().atMost(Duration.ofSeconds(30)).until(() -> workerDb.count(
                    "SELECT count(*) FROM order_transitions WHERE order_id = ?::uuid AND to_status = 'FAILED'",
                    UUID.fromString(first)) == 2 && dlqCount(workerDb, first) == 1);
            assertThat(workerDb.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid AND event_type = 'OrderReprocessed'",
                    UUID.fromString(first))).isEqualTo(1);
            assertThat(client.get("/dlq").json().get(0).get("orderId").asText()).isEqualTo(first);
        }
    }

    @Test
    void request_headers_are_never_echoed_in_any_response() {
        String id = http.createOrder();
        List<Req> requests = List.of(
                Req.post("/orders", "application/json", Http.VALID_ORDER),
                Req.get("/orders/" + id),
                Req.get("/orders?limit=2"),
                Req.get("/dlq"),
                Req.post("/dlq/" + id + "/reprocess", null, (byte[]) null),
                Req.post("/orders", "application/json", "{"),
                Req.get("/orders/nope"),
                Req.get("/nope"),
                Req.of("PUT", "/orders", null, (byte[]) null));
        for (Req req : requests) {
            Reply r = raw.send(req.header("X-Foo", "bar").header("Set-Cookie", "evil=1").header("X-Custom-Trace", "t-1"));
            assertThat(r.headers()).as(req + " -> " + r.status() + " " + r.headers())
                    .doesNotContainKeys("x-foo", "set-cookie", "x-custom-trace");
            assertThat(r.headers().values().stream().flatMap(List::stream))
                    .as(req.toString()).noneMatch(v -> v.contains("bar") || v.contains("evil") || v.contains("t-1"));
        }
    }

    @Test
    void request_headers_and_stray_query_parameters_do_not_act_as_parameters() {
        String id = http.createOrder();
        http.createOrder();

        // platform-http copies request headers, query and path parameters into one map: only the query string
        // and the path count
        Reply list = raw.send(Req.get("/orders?limit=2").header("limit", "0").header("status", "NOPE"));
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.json()).hasSize(2);

        Reply one = raw.send(Req.get("/orders/" + id).header("orderId", "not-a-uuid"));
        assertThat(one.status()).as(one.text()).isEqualTo(200);
        assertThat(one.json().get("id").asText()).isEqualTo(id);

        Reply other = raw.send(Req.get("/orders/" + id + "?orderId=" + UUID.randomUUID()));
        assertThat(other.status()).as(other.text()).isEqualTo(200);
        assertThat(other.json().get("id").asText()).isEqualTo(id);

        Reply dlq = raw.send(Req.get("/dlq").header("limit", "abc"));
        assertThat(dlq.status()).as(dlq.text()).isEqualTo(200);

        Reply encoded = raw.send(Req.get("/orders?status=%50ENDING&limit=%32"));
        assertThat(encoded.status()).as(encoded.text()).isEqualTo(200);
        assertThat(encoded.json()).hasSize(2);
    }

    @Test
    void nothing_in_the_query_string_or_a_form_body_acts_as_a_request_header() {
        // platform-http copies decoded query parameters (and form fields) into the message headers, where
        // they would pass for the request's own headers
        Http anonymous = Http.anonymous(baseUrl());
        Http.Response dlq = anonymous.get("/dlq?Authorization=Bearer%20" + Http.ADMIN_TOKEN);
        assertThat(dlq.status()).as(dlq.body()).isEqualTo(401);
        assertThat(dlq.json().get("error").asText()).isEqualTo("unauthorized");

        String id = http.createOrder();
        deadLetter(id, "2026-01-01T00:00:00Z", "boom");
        Http.Response formAuth = anonymous.post("/dlq/" + id + "/reprocess", "application/x-www-form-urlencoded",
                "Authorization=Bearer%20" + Http.ADMIN_TOKEN);
        assertThat(formAuth.status()).as(formAuth.body()).isIn(401, 415);
        assertThat(dlqCount(db, id)).as("a form field is no Authorization header").isEqualTo(1);

        long before = db.storedRows();
        Reply noType = raw.send(Req.post("/orders?Content-Type=application%2Fjson", null, Http.VALID_ORDER));
        assertErrorBody(noType, 415, "unsupported_media_type", "Content-Type");
        assertThat(db.storedRows()).isEqualTo(before);

        Reply first = raw.send(Req.post("/orders?Idempotency-Key=query-key-1&X-Correlation-Id=from-the-query",
                "application/json", Http.VALID_ORDER));
        Reply second = raw.send(Req.post("/orders?Idempotency-Key=query-key-1&X-Correlation-Id=from-the-query",
                "application/json", Http.VALID_ORDER));
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        assertThat(second.status()).as(second.text()).isEqualTo(202);
        assertThat(second.header("Idempotent-Replayed")).as("the query's key is ignored").isNull();
        assertThat(second.json().get("orderId").asText()).isNotEqualTo(first.json().get("orderId").asText());
        assertThat(first.header("X-Correlation-Id")).matches(UUID_TEXT);
        assertThat(db.count("SELECT count(*) FROM idempotency_keys WHERE key = 'query-key-1'")).isZero();

        // Camel's own headers steer the response (status, content type, path): none may come from a client
        Reply camel = raw.send(Req.get("/orders/" + id + "?CamelHttpResponseCode=299&CamelHttpPath=/dlq"
                + "&Content-Type=text/html&Location=http://evil.example"));
        assertThat(camel.status()).as(camel.text()).isEqualTo(200);
        assertThat(camel.header("Content-Type")).startsWith("application/json");
        assertThat(camel.headers()).doesNotContainKey("location");
        assertThat(camel.json().get("id").asText()).isEqualTo(id);
        Reply camelHeader = raw.send(Req.get("/orders/" + id).header("CamelHttpResponseCode", "299"));
        assertThat(camelHeader.status()).as(camelHeader.text()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------
    // X-Correlation-Id: kept when safe, otherwise replaced by a generated id; never echoed raw
    // ------------------------------------------------------------------------------------------------

    static Stream<Arguments> correlationIds() {
        return Stream.of(
                Arguments.of("129 characters", "c".repeat(129)),
                Arguments.of("1000 characters", "x".repeat(1000)),
                Arguments.of("space", "abc def"),
                Arguments.of("script tag", "<script>alert(1)</script>"),
                Arguments.of("semicolon", "abc;rm -rf"),
                Arguments.of("slash", "a/b"),
                Arguments.of("quote", "a\"b"),
                Arguments.of("percent-encoded CRLF", "abc%0d%0aSet-Cookie:%20x=1"),
                Arguments.of("empty", ""),
                Arguments.of("JSON", "{\"a\":1}"),
                Arguments.of("non-ASCII UTF-8 bytes", "caf\u00e9"),
                Arguments.of("tab inside", "ab\tcd"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("correlationIds")
    void an_unsafe_correlation_id_is_replaced_by_a_generated_one(String name, String given) {
        Reply r = raw.send(Req.post("/orders", "application/json", Http.VALID_ORDER).header("X-Correlation-Id", given));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String cid = r.header("X-Correlation-Id");
        assertThat(cid).matches(UUID_TEXT).isNotEqualTo(given);
        assertThat(r.json().get("correlationId").asText()).isEqualTo(cid);
        if (!given.isEmpty()) {
            assertThat(r.text()).doesNotContain(given);
        }
        String id = r.json().get("orderId").asText();
        assertThat(db.query("SELECT correlation_id FROM orders WHERE id = ?::uuid", UUID.fromString(id)).get(0)
                .get("correlation_id")).isEqualTo(cid);
        assertThat(db.query("SELECT correlation_id FROM outbox WHERE order_id = ?::uuid", UUID.fromString(id)).get(0)
                .get("correlation_id")).isEqualTo(cid);
    }

    @Test
    void a_correlation_id_of_128_safe_characters_is_kept() {
        String given = "Ab9._:-".repeat(19).substring(0, 128);
        Reply r = raw.send(Req.post("/orders", "application/json", Http.VALID_ORDER).header("X-Correlation-Id", given));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("X-Correlation-Id")).isEqualTo(given);
    }

    @Test
    void crlf_in_the_correlation_header_never_reaches_the_response() {
        // a bare CR inside the value, and obsolete line folding (RFC 7230 3.2.4): neither may be echoed, nor
        // turn into a response header; the HTTP layer may refuse the request outright
        List<String> rawHeaderLines = List.of(
                "X-Correlation-Id: abc\rSet-Cookie: evil=1",
                "X-Correlation-Id: abc\r\n Set-Cookie: evil=1",
                "X-Correlation-Id: abc\r\n\tLocation: http://evil");
        for (String line : rawHeaderLines) {
            long before = db.storedRows();
            Reply r = raw.send(Req.post("/orders", "application/json", Http.VALID_ORDER).rawHeaderLine(line));
            String what = line.replace("\r", "\\r").replace("\n", "\\n") + " -> " + r.status() + " " + r.headers() + " " + r.text();
            assertThat(r.headers()).as(what).doesNotContainKey("set-cookie");
            assertThat(r.headers().values().stream().flatMap(List::stream)).as(what)
                    .noneMatch(v -> v.contains("evil") || v.contains("abc"));
            assertThat(r.text()).as(what).doesNotContain("evil");
            assertNoLeaks(what, r);
            if (r.status() == 202) {
                assertThat(r.header("X-Correlation-Id")).as(what).matches(UUID_TEXT);
                assertThat(db.storedRows()).as(what).isEqualTo(before + 2);
            } else {
                // refused by the HTTP decoder (Netty) before any route runs: nothing stored
                assertThat(r.status()).as(what).isEqualTo(400);
                assertThat(db.storedRows()).as(what).isEqualTo(before);
            }
        }
        assertThat(raw.send(Req.get("/orders?limit=1")).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------
    // Bad inputs: exact status and code, a message naming the field or rule, no internals, nothing stored
    // ------------------------------------------------------------------------------------------------

    record Bad(String name, Req request, int status, String error, String mention) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Bad bad(String name, Req request, int status, String error, String mention) {
        return new Bad(name, request, status, error, mention);
    }

    private static Bad badOrder(String name, String body, String error, String mention) {
        return bad(name, Req.post("/orders", "application/json", body), 400, error, mention);
    }

    private static Bad badOrderBytes(String name, byte[] body, String error, String mention) {
        return bad(name, Req.post("/orders", "application/json", body), 400, error, mention);
    }

    /** An order with one field's raw JSON replaced ({@code null} leaves the field out). */
    private static String order(String customerId, String currency, String items) {
        List<String> fields = new ArrayList<>();
        if (customerId != null) {
            fields.add("\"customerId\":" + customerId);
        }
        if (currency != null) {
            fields.add("\"currency\":" + currency);
        }
        if (items != null) {
            fields.add("\"items\":" + items);
        }
        return "{" + String.join(",", fields) + "}";
    }

    private static String withCustomer(String customerIdJson) {
        return order(customerIdJson, "\"EUR\"", "[" + VALID_ITEM + "]");
    }

    private static String withCurrency(String currencyJson) {
        return order("\"c-42\"", currencyJson, "[" + VALID_ITEM + "]");
    }

    private static String withItems(String itemsJson) {
        return order("\"c-42\"", "\"EUR\"", itemsJson);
    }

    /** An order with one item built from raw JSON values ({@code null} leaves the field out). */
    private static String withItem(String sku, String quantity, String unitPrice) {
        List<String> fields = new ArrayList<>();
        if (sku != null) {
            fields.add("\"sku\":" + sku);
        }
        if (quantity != null) {
            fields.add("\"quantity\":" + quantity);
        }
        if (unitPrice != null) {
            fields.add("\"unitPrice\":" + unitPrice);
        }
        return withItems("[{" + String.join(",", fields) + "}]");
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static Stream<Arguments> badInputs() {
        String uuid = "123e4567-e89b-12d3-a456-426614174000";
        String unknownId = UUID.randomUUID().toString();
        String valid = Http.VALID_ORDER;
        List<Bad> rows = new ArrayList<>();

        // malformed JSON and bodies that are not a JSON object
        rows.add(badOrder("truncated JSON", "{\"customerId\":\"c-42\",", "invalid_json", "JSON"));
        rows.add(badOrder("truncated inside a string", "{\"customerId\":\"c-4", "invalid_json", "JSON"));
        rows.add(badOrder("unquoted key", "{customerId:\"c-42\"}", "invalid_json", "JSON"));
        rows.add(badOrder("single quotes", "{'customerId':'c-42'}", "invalid_json", "JSON"));
        rows.add(badOrder("trailing comma", valid.substring(0, valid.length() - 1) + ",}", "invalid_json", "JSON"));
        rows.add(badOrder("trailing garbage", valid + "}", "invalid_json", "JSON"));
        rows.add(badOrder("two JSON documents", valid + valid, "invalid_json", "JSON"));
        rows.add(badOrder("comment", "/* hi */" + valid, "invalid_json", "JSON"));
        rows.add(badOrder("NaN price", withItem("\"S\"", "1", "NaN"), "invalid_json", "JSON"));
        rows.add(badOrder("leading zero quantity", withItem("\"S\"", "02", "1"), "invalid_json", "JSON"));
        rows.add(badOrder("empty body", "", "invalid_json", "empty"));
        rows.add(badOrder("whitespace body", "  \n\t ", "invalid_json", "JSON"));
        rows.add(badOrder("JSON array", "[" + valid + "]", "invalid_json", "JSON object"));
        rows.add(badOrder("JSON string", "\"order\"", "invalid_json", "JSON object"));
        rows.add(badOrder("JSON number", "42", "invalid_json", "JSON object"));
        rows.add(badOrder("JSON null", "null", "invalid_json", "JSON object"));
        rows.add(badOrder("JSON true", "true", "invalid_json", "JSON object"));
        rows.add(badOrder("5000 nested arrays", "[".repeat(5000) + "]".repeat(5000), "invalid_json", "nest"));
        rows.add(badOrder("5000 nested objects", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000), "invalid_json", "nest"));
        rows.add(badOrder("deep nesting inside items",
                withItems("[" + "[".repeat(3000) + "]".repeat(3000) + "]"), "invalid_json", "nest"));
        rows.add(badOrder("duplicate customerId",
                "{\"customerId\":\"c-1\",\"customerId\":\"c-2\",\"currency\":\"EUR\",\"items\":[" + VALID_ITEM + "]}",
                "invalid_json", "customerId"));
        rows.add(badOrder("duplicate quantity in an item",
                withItems("[{\"sku\":\"S\",\"quantity\":1,\"quantity\":10000,\"unitPrice\":1}]"), "invalid_json", "quantity"));
        rows.add(badOrder("5000-digit number", withItem("\"S\"", "1", "1" + "0".repeat(5000)), "invalid_json", "number"));

        // invalid UTF-8 and control characters
        rows.add(badOrderBytes("invalid UTF-8 in customerId",
                concat("{\"customerId\":\"c", bytes(0xC3, 0x28), "\",\"currency\":\"EUR\",\"items\":[" + VALID_ITEM + "]}"),
                "invalid_json", "UTF-8"));
        rows.add(badOrderBytes("0xFF byte in sku", concat("{\"customerId\":\"c-42\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"a",
                bytes(0xFF), "\",\"quantity\":1,\"unitPrice\":1}]}"), "invalid_json", "UTF-8"));
        rows.add(badOrderBytes("overlong UTF-8 in sku", concat("{\"customerId\":\"c-42\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"a",
                bytes(0xC0, 0xBC), "\",\"quantity\":1,\"unitPrice\":1}]}"), "invalid_json", "UTF-8"));
        rows.add(badOrderBytes("UTF-8-encoded surrogate in sku", concat("{\"customerId\":\"c-42\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"a",
                bytes(0xED, 0xA0, 0x80), "\",\"quantity\":1,\"unitPrice\":1}]}"), "invalid_json", "UTF-8"));
        rows.add(badOrderBytes("latin-1 body", valid.replace("c-42", "c-\u00e9").getBytes(StandardCharsets.ISO_8859_1),
                "invalid_json", "UTF-8"));
        rows.add(badOrderBytes("UTF-16 body", valid.getBytes(StandardCharsets.UTF_16LE), "invalid_json", "JSON"));
        rows.add(badOrder("raw control character in a string",
                "{\"customerId\":\"c\u0001\",\"currency\":\"EUR\",\"items\":[" + VALID_ITEM + "]}", "invalid_json", "JSON"));
        rows.add(badOrder("escaped NUL in customerId", withCustomer("\"c\\u0000\""), "invalid_field", "customerId"));
        rows.add(badOrder("escaped NUL in sku", withItem("\"a\\u0000b\"", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("control character in sku", withItem("\"a\\u0007b\"", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("newline in sku", withItem("\"a\\nb\"", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("DEL in sku", withItem("\"a\\u007fb\"", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("lone surrogate in sku", withItem("\"a\\ud800b\"", "1", "1"), "invalid_field", "items[0].sku"));

        // wrong types
        rows.add(badOrder("customerId number", withCustomer("42"), "invalid_field", "customerId"));
        rows.add(badOrder("customerId array", withCustomer("[\"c-42\"]"), "invalid_field", "customerId"));
        rows.add(badOrder("customerId object", withCustomer("{\"id\":\"c-42\"}"), "invalid_field", "customerId"));
        rows.add(badOrder("customerId boolean", withCustomer("true"), "invalid_field", "customerId"));
        rows.add(badOrder("currency number", withCurrency("978"), "invalid_field", "currency"));
        rows.add(badOrder("currency array", withCurrency("[\"EUR\"]"), "invalid_field", "currency"));
        rows.add(badOrder("items string", withItems("\"SKU-1\""), "invalid_field", "items"));
        rows.add(badOrder("items object", withItems(VALID_ITEM), "invalid_field", "items"));
        rows.add(badOrder("items number", withItems("1"), "invalid_field", "items"));
        rows.add(badOrder("item is a string", withItems("[\"SKU-1\"]"), "invalid_field", "items[0]"));
        rows.add(badOrder("item is null", withItems("[null]"), "invalid_field", "items[0]"));
        rows.add(badOrder("second item is an array", withItems("[" + VALID_ITEM + ",[]]"), "invalid_field", "items[1]"));
        rows.add(badOrder("sku number", withItem("42", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("sku object", withItem("{}", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("quantity string", withItem("\"S\"", "\"2\"", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity 2.5", withItem("\"S\"", "2.5", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity 2.0", withItem("\"S\"", "2.0", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity 1e1", withItem("\"S\"", "1e1", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity boolean", withItem("\"S\"", "true", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("unitPrice string", withItem("\"S\"", "1", "\"19.99\""), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice boolean", withItem("\"S\"", "1", "false"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice object", withItem("\"S\"", "1", "{\"amount\":1}"), "invalid_field", "items[0].unitPrice"));

        // missing fields (absent or null)
        rows.add(badOrder("empty object", "{}", "missing_field", "customerId"));
        rows.add(badOrder("missing customerId", order(null, "\"EUR\"", "[" + VALID_ITEM + "]"), "missing_field", "customerId"));
        rows.add(badOrder("null customerId", withCustomer("null"), "missing_field", "customerId"));
        rows.add(badOrder("missing currency", order("\"c-42\"", null, "[" + VALID_ITEM + "]"), "missing_field", "currency"));
        rows.add(badOrder("null currency", withCurrency("null"), "missing_field", "currency"));
        rows.add(badOrder("missing items", order("\"c-42\"", "\"EUR\"", null), "missing_field", "items"));
        rows.add(badOrder("null items", withItems("null"), "missing_field", "items"));
        rows.add(badOrder("missing sku", withItem(null, "1", "1"), "missing_field", "items[0].sku"));
        rows.add(badOrder("missing quantity", withItem("\"S\"", null, "1"), "missing_field", "items[0].quantity"));
        rows.add(badOrder("null quantity", withItem("\"S\"", "null", "1"), "missing_field", "items[0].quantity"));
        rows.add(badOrder("missing unitPrice", withItem("\"S\"", "1", null), "missing_field", "items[0].unitPrice"));
        rows.add(badOrder("missing field in the second item",
                withItems("[" + VALID_ITEM + ",{\"sku\":\"S\",\"quantity\":1}]"), "missing_field", "items[1].unitPrice"));

        // unknown fields
        rows.add(badOrder("unknown top-level field", valid.replace("{\"customerId\"", "{\"coupon\":\"FREE\",\"customerId\""),
                "unknown_field", "coupon"));
        rows.add(badOrder("client-supplied total", valid.replace("{\"customerId\"", "{\"total\":0.01,\"customerId\""),
                "unknown_field", "total"));
        rows.add(badOrder("unknown field in an item", withItems("[{\"sku\":\"S\",\"quantity\":1,\"unitPrice\":1,\"discount\":5}]"),
                "unknown_field", "items[0].discount"));
        rows.add(badOrder("unknown field in the second item",
                withItems("[" + VALID_ITEM + ",{\"sku\":\"S\",\"quantity\":1,\"unitPrice\":1,\"color\":\"red\"}]"),
                "unknown_field", "items[1].color"));
        rows.add(badOrder("field name differs in case", valid.replace("customerId", "customerID"), "unknown_field", "customerID"));

        // customerId rules
        rows.add(badOrder("customerId 65 characters", withCustomer("\"" + "a".repeat(65) + "\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId empty", withCustomer("\"\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId with a space", withCustomer("\"c 42\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId non-ASCII", withCustomer("\"c\u00e9\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId trailing newline", withCustomer("\"c-42\\n\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId SQL injection", withCustomer("\"x'; DROP TABLE orders; --\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId SQL tautology", withCustomer("\"1' OR '1'='1\""), "invalid_field", "customerId"));
        rows.add(badOrder("customerId HTML", withCustomer("\"<b>c</b>\""), "invalid_field", "customerId"));

        // currency rules
        rows.add(badOrder("currency lower case", withCurrency("\"eur\""), "invalid_field", "currency"));
        rows.add(badOrder("currency 2 letters", withCurrency("\"EU\""), "invalid_field", "currency"));
        rows.add(badOrder("currency 4 letters", withCurrency("\"EURO\""), "invalid_field", "currency"));
        rows.add(badOrder("currency empty", withCurrency("\"\""), "invalid_field", "currency"));
        rows.add(badOrder("currency digits", withCurrency("\"978\""), "invalid_field", "currency"));

        // items, quantity, unitPrice and sku rules
        rows.add(badOrder("0 items", withItems("[]"), "invalid_field", "items"));
        rows.add(badOrder("101 items", withItems("[" + String.join(",", java.util.Collections.nCopies(101, VALID_ITEM)) + "]"),
                "invalid_field", "items"));
        rows.add(badOrder("quantity 0", withItem("\"S\"", "0", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity -1", withItem("\"S\"", "-1", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity 10001", withItem("\"S\"", "10001", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity 20 digits", withItem("\"S\"", "12345678901234567890", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("quantity overflowing int to 1", withItem("\"S\"", "4294967297", "1"), "invalid_field", "items[0].quantity"));
        rows.add(badOrder("unitPrice -0.01", withItem("\"S\"", "1", "-0.01"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice 3 decimals", withItem("\"S\"", "1", "19.999"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice 1e400", withItem("\"S\"", "1", "1e400"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice 1e-400", withItem("\"S\"", "1", "1e-400"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice above 99999999.99", withItem("\"S\"", "1", "100000000.00"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("unitPrice 99999999.991", withItem("\"S\"", "1", "99999999.991"), "invalid_field", "items[0].unitPrice"));
        rows.add(badOrder("sku empty", withItem("\"\"", "1", "1"), "invalid_field", "items[0].sku"));
        rows.add(badOrder("sku blank", withItem("\"   \"", "1", "1"), "invalid_field", "items[0].sku"));
        // invisible characters in identifiers: format, separators, private use, unassigned, noncharacters
        Map<String, String> invisible = new LinkedHashMap<>();
        invisible.put("zero-width space", "\\u200b");
        invisible.put("no-break space", "\\u00a0");
        invisible.put("right-to-left override", "\\u202e");
        invisible.put("line separator", "\\u2028");
        invisible.put("paragraph separator", "\\u2029");
        invisible.put("ideographic space", "\\u3000");
        invisible.put("byte order mark", "\\ufeff");
        invisible.put("soft hyphen", "\\u00ad");
        invisible.put("noncharacter U+FFFF", "\\uffff");
        invisible.put("noncharacter U+FDD0", "\\ufdd0");
        invisible.put("noncharacter U+1FFFF", "\\ud83f\\udfff");
        invisible.put("private use U+E000", "\\ue000");
        invisible.put("private use U+F0000", "\\udb80\\udc00");
        invisible.put("unassigned U+0378", "\\u0378");
        invisible.put("tag letter U+E0041", "\\udb40\\udc41");
        invisible.forEach((name, escaped) -> {
            rows.add(badOrder("sku of only a " + name, withItem("\"" + escaped + "\"", "1", "1"), "invalid_field", "items[0].sku"));
            rows.add(badOrder("sku with a " + name + " inside", withItem("\"SKU" + escaped + "1\"", "1", "1"),
                    "invalid_field", "items[0].sku"));
            rows.add(badOrder("customerId with a " + name, withCustomer("\"c" + escaped + "42\""), "invalid_field", "customerId"));
        });
        rows.add(badOrder("sku 65 characters", withItem("\"" + "s".repeat(65) + "\"", "1", "1"), "invalid_field", "items[0].sku"));

        // size limits
        rows.add(bad("body over 64 KiB", Req.post("/orders", "application/json",
                withItem("\"" + "s".repeat(70_000) + "\"", "1", "1")), 413, "payload_too_large", "too large"));
        rows.add(bad("chunked body over 64 KiB", Req.post("/orders", "application/json",
                withItem("\"" + "s".repeat(70_000) + "\"", "1", "1")).chunked(), 413, "payload_too_large", "too large"));
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        tenMegabytes[0] = '[';
        tenMegabytes[tenMegabytes.length - 1] = ']';
        rows.add(bad("10 MB body", Req.post("/orders", "application/json", tenMegabytes), 413, "payload_too_large", "too large"));

        // content type
        rows.add(bad("text/plain", Req.post("/orders", "text/plain", valid), 415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("no content type", Req.post("/orders", null, valid), 415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("application/xml", Req.post("/orders", "application/xml", "<order/>"), 415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("JSON in latin-1", Req.post("/orders", "application/json; charset=ISO-8859-1", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("form encoded", Req.post("/orders", "application/x-www-form-urlencoded", "customerId=c-42&currency=EUR"),
                415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("form encoded with a broken escape", Req.post("/orders", "application/x-www-form-urlencoded",
                "customerId=%ZZ&currency=%"), 415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("multipart form", Req.post("/orders", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"customerId\"\r\n\r\nc-42\r\n--xyz--\r\n"),
                415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("broken multipart form", Req.post("/orders", "multipart/form-data; boundary=xyz", "--xyz\r\ngarbage"),
                415, "unsupported_media_type", "Content-Type"));
        rows.add(bad("application/jsonp", Req.post("/orders", "application/jsonp", valid), 415,
                "unsupported_media_type", "Content-Type"));
        // RFC 9110 media types: the charset must name UTF-8 exactly, once; the grammar is not guessed at
        rows.add(bad("charset utf-8x", Req.post("/orders", "application/json; charset=utf-8x", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("charset given twice", Req.post("/orders", "application/json; charset=utf-8; charset=utf-8", valid),
                415, "unsupported_media_type", "twice"));
        rows.add(bad("charset given twice in other cases", Req.post("/orders",
                "application/json; charset=utf-8; CHARSET=latin1", valid), 415, "unsupported_media_type", "twice"));
        rows.add(bad("quoted charset utf-8x", Req.post("/orders", "application/json; charset=\"utf-8x\"", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("unterminated quoted charset", Req.post("/orders", "application/json; charset=\"utf-8", valid), 415,
                "unsupported_media_type", "quoted"));
        rows.add(bad("space around the equals sign", Req.post("/orders", "application/json; charset = utf-8", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("parameter without a value", Req.post("/orders", "application/json; charset", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("media type with a third part", Req.post("/orders", "application/json/x", valid), 415,
                "unsupported_media_type", "Content-Type"));
        rows.add(bad("charset spelled utf8 inside another", Req.post("/orders", "application/json; x=charset=utf-8", valid),
                415, "unsupported_media_type", "Content-Type"));

        // methods and paths
        rows.add(bad("PUT /orders", Req.of("PUT", "/orders", "application/json", valid), 405, "method_not_allowed", "PUT"));
        rows.add(bad("DELETE /orders", Req.of("DELETE", "/orders", null, (byte[]) null), 405, "method_not_allowed", "DELETE"));
        rows.add(bad("PATCH /orders", Req.of("PATCH", "/orders", "application/json", valid), 405, "method_not_allowed", "PATCH"));
        rows.add(bad("DELETE /orders/{id}", Req.of("DELETE", "/orders/" + uuid, null, (byte[]) null), 405, "method_not_allowed", "DELETE"));
        rows.add(bad("PUT /orders/{id}", Req.of("PUT", "/orders/" + uuid, "application/json", valid), 405, "method_not_allowed", "PUT"));
        rows.add(bad("GET /dlq/{id}/reprocess", Req.get("/dlq/" + uuid + "/reprocess"), 405, "method_not_allowed", "GET"));
        rows.add(bad("DELETE /dlq", Req.of("DELETE", "/dlq", null, (byte[]) null), 405, "method_not_allowed", "DELETE"));
        rows.add(bad("unknown path", Req.get("/nope"), 404, "not_found", "/nope"));
        rows.add(bad("unknown sub-resource", Req.get("/orders/" + uuid + "/items"), 404, "not_found", "/items"));
        rows.add(bad("POST /dlq/{id} without reprocess", Req.post("/dlq/" + uuid, "application/json", "{}"), 404, "not_found", "/dlq"));
        rows.add(bad("unknown path with injection", Req.get("/%3Cscript%3E"), 404, "not_found", "resource"));

        // ids
        rows.add(bad("malformed id", Req.get("/orders/not-a-uuid"), 400, "invalid_id", "orderId"));
        rows.add(bad("numeric id", Req.get("/orders/123"), 400, "invalid_id", "orderId"));
        rows.add(bad("id without dashes", Req.get("/orders/" + uuid.replace("-", "")), 400, "invalid_id", "orderId"));
        rows.add(bad("id one character too long", Req.get("/orders/" + uuid + "0"), 400, "invalid_id", "orderId"));
        rows.add(bad("id with SQL", Req.get("/orders/1'%20OR%20'1'='1"), 400, "invalid_id", "orderId"));
        rows.add(bad("id with braces", Req.get("/orders/%7B" + uuid + "%7D"), 400, "invalid_id", "orderId"));
        rows.add(bad("short-form id accepted by UUID.fromString", Req.get("/orders/1-2-3-4-5"), 400, "invalid_id", "orderId"));
        rows.add(bad("reprocess malformed id", Req.post("/dlq/not-a-uuid/reprocess", null, (byte[]) null), 400, "invalid_id", "orderId"));
        rows.add(bad("reprocess id with SQL", Req.post("/dlq/x'%3B%20DELETE%20FROM%20dlq%3B--/reprocess", null, (byte[]) null),
                400, "invalid_id", "orderId"));
        rows.add(bad("unknown order", Req.get("/orders/" + unknownId), 404, "order_not_found", unknownId));

        // query parameters
        rows.add(bad("limit 0", Req.get("/orders?limit=0"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit 501", Req.get("/orders?limit=501"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit -1", Req.get("/orders?limit=-1"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit abc", Req.get("/orders?limit=abc"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit 1.5", Req.get("/orders?limit=1.5"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit empty", Req.get("/orders?limit="), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit overflowing int", Req.get("/orders?limit=4294967297"), 400, "invalid_parameter", "limit"));
        rows.add(bad("limit repeated", Req.get("/orders?limit=5&limit=6"), 400, "invalid_parameter", "limit"));
        rows.add(bad("dlq limit 0", Req.get("/dlq?limit=0"), 400, "invalid_parameter", "limit"));
        rows.add(bad("dlq limit 501", Req.get("/dlq?limit=501"), 400, "invalid_parameter", "limit"));
        rows.add(bad("dlq limit abc", Req.get("/dlq?limit=abc"), 400, "invalid_parameter", "limit"));
        rows.add(bad("dlq limit repeated", Req.get("/dlq?limit=1&limit=1"), 400, "invalid_parameter", "limit"));
        rows.add(bad("unknown status", Req.get("/orders?status=DONE"), 400, "invalid_parameter", "status"));
        rows.add(bad("empty status", Req.get("/orders?status="), 400, "invalid_parameter", "status"));
        rows.add(bad("status with SQL", Req.get("/orders?status=PENDING'%20OR%20'1'='1"), 400, "invalid_parameter", "status"));
        rows.add(bad("status repeated", Req.get("/orders?status=PENDING&status=FAILED"), 400, "invalid_parameter", "status"));

        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badInputs")
    void a_bad_request_is_refused_with_a_json_error_and_nothing_is_stored(Bad row) {
        long before = db.storedRows();
        String cid = "bad-input-" + Math.abs(row.name().hashCode());

        Reply r = raw.send(row.request().header("X-Correlation-Id", cid).header("X-Foo", "bar"));

        assertErrorBody(row.name(), r, row.status(), row.error(), row.mention());
        assertThat(r.header("X-Correlation-Id")).as(row.name() + ": correlation id echoed " + r.headers()).isEqualTo(cid);
        assertThat(r.headers()).as(row.name() + ": request headers are not echoed").doesNotContainKey("x-foo");
        assertThat(db.storedRows()).as(row.name() + ": nothing stored").isEqualTo(before);
    }

    @Test
    void refusals_made_at_the_http_layer_answer_the_documented_code_and_json() {
        long before = db.storedRows();
        for (String query : List.of("/orders?limit=%ZZ", "/orders?x=%", "/dlq?limit=%ZZ", "/orders?status=%E0%A4%A",
                "/orders/" + UUID.randomUUID() + "?a=%G0")) {
            Reply r = raw.send(Req.get(query).header("X-Correlation-Id", "bad-escape"));
            assertErrorBody(query, r, 400, "invalid_parameter", "query");
            assertThat(r.header("X-Correlation-Id")).isEqualTo("bad-escape");
        }
        Reply post = raw.send(Req.post("/orders?x=%", "application/json", Http.VALID_ORDER));
        assertErrorBody("POST /orders?x=%", post, 400, "invalid_parameter", "query");

        for (String path : List.of("/orders/%ZZ", "/orders/%", "/%E0%A4%A", "/dlq/%zz/reprocess")) {
            Reply r = raw.send(Req.get(path).header("X-Correlation-Id", "bad-path"));
            assertErrorBody(path, r, 400, "invalid_request", "path");
        }

        // RFC 9112 3.2: a 400 for an HTTP/1.1 request without Host, and for any request with two
        String body = Http.VALID_ORDER;
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("no Host", "");
        hosts.put("two Host headers", "Host: a.example\r\nHost: b.example\r\n");
        hosts.put("two equal Host headers", "Host: a.example\r\nHost: a.example\r\n");
        hosts.put("a Host with a path", "Host: a.example/x\r\n");
        for (Map.Entry<String, String> host : hosts.entrySet()) {
            Conversation c = raw.converse("POST /orders HTTP/1.1\r\n" + host.getValue() + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, Duration.ofSeconds(5));
            assertThat(c.replies()).as(host.getKey() + ": " + c).hasSize(1);
            assertErrorBody(host.getKey(), c.replies().get(0), 400, "invalid_request", "Host");
        }
        Conversation twoHostsGet = raw.converse("GET /orders HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", Duration.ofSeconds(5));
        assertErrorBody("HTTP/1.0 with two Host headers", twoHostsGet.replies().get(0), 400, "invalid_request", "Host");
        assertThat(db.storedRows()).as("nothing stored").isEqualTo(before);

        // refused by Netty before any handler, as the README documents
        assertThat(raw.send(Req.get("/orders?x=" + "a".repeat(5000))).status()).as("request line over 4096 bytes").isEqualTo(414);
        assertThat(raw.send(Req.get("/orders").header("X-Big", "a".repeat(9000))).status()).as("headers over 8192 bytes")
                .isEqualTo(431);

        // HTTP/1.0 needs no Host
        Conversation old = raw.converse("GET /orders?limit=1 HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));
        assertThat(old.replies()).as(old.toString()).hasSize(1);
        assertThat(old.replies().get(0).status()).isEqualTo(200);
    }

    @Test
    void http2_cleartext_is_not_spoken_on_the_api_port() {
        // Upgrade: h2c is ignored: the answer is the HTTP/1.1 one, no 101 Switching Protocols
        Conversation upgrade = raw.converse("GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"
                + "\r\n", Duration.ofSeconds(3));
        assertThat(upgrade.replies()).as(upgrade.toString()).isNotEmpty();
        assertThat(upgrade.replies().get(0).status()).as(upgrade.toString()).isEqualTo(200);
        assertThat(upgrade.replies().get(0).json().isArray()).isTrue();
        assertThat(upgrade.replies().get(0).headers()).doesNotContainKey("upgrade");

        // the prior-knowledge preface (RFC 9113 3.4) followed by an empty SETTINGS frame: refused as HTTP/1.1
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + "\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000";
        Conversation prior = raw.converse(preface, Duration.ofSeconds(3));
        assertThat(prior.replies()).as("no HTTP/2 frames, an HTTP/1.1 refusal: " + prior).hasSize(1);
        assertThat(prior.replies().get(0).status()).as(prior.toString()).isBetween(400, 505);
        assertThat(prior.closedByServer()).as(prior.toString()).isTrue();
    }

    @Test
    void ambiguous_framing_is_refused_the_connection_closed_and_a_pipelined_request_not_answered() {
        String body = Http.VALID_ORDER;
        String chunkedBody = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        String pipelined = "GET /orders?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n";
        Map<String, Integer> framings = new LinkedHashMap<>();
        framings.put("Content-Length: " + chunkedBody.length() + "\r\nTransfer-Encoding: chunked", 400);
        framings.put("Transfer-Encoding: chunked\r\nContent-Length: " + body.length(), 400);
        framings.put("Transfer-Encoding: xchunked", 400);
        framings.put("Transfer-Encoding: chunked, identity", 400);
        framings.put("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", 400);
        framings.put("Transfer-Encoding: chunked, chunked", 400);
        framings.put("Transfer-Encoding: gzip, chunked", 501);
        framings.put("Transfer-Encoding: identity, chunked", 501);
        long before = db.storedRows();
        for (Map.Entry<String, Integer> framing : framings.entrySet()) {
            String what = framing.getKey().replace("\r\n", " | ");
            Conversation c = raw.converse("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + framing.getKey() + "\r\n\r\n" + chunkedBody + pipelined, Duration.ofSeconds(5));
            assertThat(c.replies()).as(what + ": one answer, the pipelined request is not answered: " + c).hasSize(1);
            assertErrorBody(what, c.replies().get(0), framing.getValue(),
                    framing.getValue() == 501 ? "not_implemented" : "invalid_request", "Transfer-Encoding");
            assertThat(c.replies().get(0).header("Connection")).as(what).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).as(what + ": connection closed").isTrue();
        }
        assertThat(db.storedRows()).as("nothing stored").isEqualTo(before);

        // chunked alone, in any case, stays fine, and so does a pipelined request behind it
        Conversation ok = raw.converse("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: Chunked\r\n\r\n" + chunkedBody + pipelined.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"),
                Duration.ofSeconds(5));
        assertThat(ok.replies()).as(ok.toString()).hasSize(2);
        assertThat(ok.replies().get(0).status()).isEqualTo(202);
        assertThat(ok.replies().get(1).status()).isEqualTo(200);
    }

    @Test
    void the_server_answers_normally_right_after_a_10_megabyte_body() {
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        long before = db.storedRows();
        Reply refused = raw.send(Req.post("/orders", "application/json", huge));
        assertErrorBody(refused, 413, "payload_too_large", "too large");
        assertThat(db.storedRows()).isEqualTo(before);

        // through the JDK client, on a fresh connection, and over the raw socket again
        String id = http.createOrder();
        assertThat(http.get("/orders/" + id).status()).isEqualTo(200);
        Reply next = raw.send(Req.post("/orders", "application/json", Http.VALID_ORDER));
        assertThat(next.status()).as(next.text()).isEqualTo(202);
        assertThat(db.storedRows()).isEqualTo(before + 4);
    }

    // ------------------------------------------------------------------------------------------------
    // Assertions and helpers
    // ------------------------------------------------------------------------------------------------

    private static final List<String> FORBIDDEN = List.of("exception", "\tat ", "caused by", "java.", "javax.", "org.",
            "com.", "io.", "jackson", "vertx", "netty", "camel", "hikari", "postgres", "psql", "sql", "select ",
            "insert ", "delete from", "update orders", "jsonb", "varchar", "numeric(", "syntax error", "constraint",
            "[source", "redacted", "`", "streamread", "deserializationfeature", "jsonnode", "jsontoken", "bigdecimal",
            "biginteger", "nullpointer", "stack");
    private static final Pattern JAVA_IDENTIFIER = Pattern.compile(
            "\\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+(?:Exception|Error|Constraints|Feature|Node|Token|Parser|Mapper|Impl|Handler|Processor|Factory)\\b"
                    + "|\\b[a-z]+(?:\\.[a-z0-9_]+)+\\.[A-Z]\\w+|\\w+\\(\\)");

    private static void assertErrorBody(Reply r, int status, String error, String mention) {
        assertErrorBody("", r, status, error, mention);
    }

    private static void assertErrorBody(String context, Reply r, int status, String error, String mention) {
        String what = context + " -> " + r.status() + " " + r.headers() + " " + r.text();
        assertThat(r.status()).as(what).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
        assertNoLeaks(what, r);
        JsonNode json = r.json();
        assertThat(json.isObject()).as(what).isTrue();
        assertThat(fieldNames(json)).as(what).containsExactly("error", "message");
        assertThat(json.get("error").asText()).as(what).isEqualTo(error);
        assertThat(json.get("message").isTextual()).as(what).isTrue();
        assertThat(json.get("message").asText()).as(what).containsIgnoringCase(mention);
    }

    private static void assertNoLeaks(Reply r) {
        assertNoLeaks("", r);
    }

    private static void assertNoLeaks(String context, Reply r) {
        String lower = r.text().toLowerCase(Locale.ROOT);
        for (String word : FORBIDDEN) {
            assertThat(lower).as(context + ": response body must not contain '" + word + "'").doesNotContain(word);
        }
        assertThat(JAVA_IDENTIFIER.matcher(r.text()).find()).as(context + ": Java names in " + r.text()).isFalse();
        assertThat(r.text().length()).as(context + ": short error body").isLessThan(1000);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(o -> ids.add(o.get("id").asText()));
        return ids;
    }

    private void setCreatedAt(String id, String instant) {
        db.update("UPDATE orders SET created_at = ? WHERE id = ?::uuid",
                OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC), UUID.fromString(id));
    }

    /** Arranges, by SQL, what the worker's dead-letter route leaves behind. */
    private void deadLetter(String id, String failedAt, String reason) {
        UUID uuid = UUID.fromString(id);
        db.update("UPDATE orders SET status = 'FAILED', retry_count = 3, failure_reason = ? WHERE id = ?::uuid", reason, uuid);
        db.update("UPDATE outbox SET status = 'DONE', done_at = now() WHERE order_id = ?::uuid", uuid);
        db.update("INSERT INTO dlq (order_id, reason, retry_count, correlation_id, failed_at)"
                        + " SELECT id, ?, 3, correlation_id, ? FROM orders WHERE id = ?::uuid",
                reason, OffsetDateTime.ofInstant(Instant.parse(failedAt), ZoneOffset.UTC), uuid);
    }

    private static long dlqCount(Db database, String id) {
        return database.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", UUID.fromString(id));
    }

    private static String jsonString(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
