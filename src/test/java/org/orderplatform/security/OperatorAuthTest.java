package org.orderplatform.security;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator endpoints need the admin bearer token; intake and reads stay open; the token never leaks. */
class OperatorAuthTest {

    @Test
    void dlq_endpoints_refuse_missing_or_wrong_tokens_and_accept_the_configured_one() {
        Db db = new Db(TestDatabase.newDatabase("auth"));
        String secret = "s3cret-operator-token-" + UUID.randomUUID();
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.admin.token", secret);
        try (LogCapture logs = new LogCapture(); Platform platform = Platform.start(p)) {
            String base = platform.baseUrl();
            String id = Http.anonymous(base).createOrder();
            assertThat(Http.anonymous(base).get("/orders/" + id).status()).as("reads stay open").isEqualTo(200);
            assertThat(Http.anonymous(base).get("/orders").status()).isEqualTo(200);

            for (Http client : new Http[] {Http.anonymous(base), Http.withToken(base, "wrong"),
                    Http.withToken(base, secret + "x"), Http.withToken(base, secret.substring(1)), Http.withToken(base, "")}) {
                Http.Response list = client.get("/dlq");
                assertThat(list.status()).isEqualTo(401);
                assertThat(list.json().get("error").asText()).isEqualTo("unauthorized");
                assertThat(list.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(list.body()).doesNotContain(secret);
                Http.Response reprocess = client.post("/dlq/" + id + "/reprocess", null, null);
                assertThat(reprocess.status()).isEqualTo(401);
                Http.Response bulk = client.post("/dlq/reprocess", "application/json", "{\"orderIds\":[\"" + id + "\"]}");
                assertThat(bulk.status()).isEqualTo(401);
                assertThat(bulk.header("WWW-Authenticate")).startsWith("Bearer");
                Http.Response stats = client.get("/stats");
                assertThat(stats.status()).isEqualTo(401);
                assertThat(stats.body()).doesNotContain(secret);
            }
            assertThat(db.count("SELECT count(*) FROM outbox")).as("a refused reprocess writes nothing").isEqualTo(1);

            Http operator = Http.withToken(base, secret);
            assertThat(operator.get("/dlq").status()).isEqualTo(200);
            assertThat(operator.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(404);
            assertThat(operator.get("/stats").status()).isEqualTo(200);
            assertThat(operator.post("/dlq/reprocess", "application/json", "{\"orderIds\":[\"" + id + "\"]}").status())
                    .isEqualTo(200);
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(secret));
        }
    }

    @Test
    void without_a_configured_token_a_random_one_is_generated_logged_once_and_required() {
        Db db = new Db(TestDatabase.newDatabase("auth_generated"));
        Map<String, String> p = Platform.defaults(db.url());
        p.remove("orders.admin.token");
        p.put("orders.admin.token", "");
        try (LogCapture logs = new LogCapture(); Platform platform = Platform.start(p)) {
            Pattern announced = Pattern.compile("generated token for this run only: (\\S+)");
            var lines = logs.events().stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> announced.matcher(m).find()).toList();
            assertThat(lines).hasSize(1);
            Matcher m = announced.matcher(lines.get(0));
            assertThat(m.find()).isTrue();
            String token = m.group(1);
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Http.anonymous(platform.baseUrl()).get("/dlq").status()).isEqualTo(401);
            assertThat(Http.withToken(platform.baseUrl(), token).get("/dlq").status()).isEqualTo(200);
        }
    }
}
