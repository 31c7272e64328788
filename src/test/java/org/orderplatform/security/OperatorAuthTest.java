package org.orderplatform.security;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator endpoints need the admin bearer token; intake and reads stay open; the token never leaks. Camel's
 * test support boots the application; the log is captured from before it is configured, so that the start-up's
 * lines are checked too.
 */
class OperatorAuthTest extends PlatformTestSupport {
    private static final String SECRET = "s3cret-operator-token-4f0c2a9e-1d7b-4c55-9a0e-7b8f3e1c6d42";

    /** From before the context is built: the token is chosen (and a generated one logged) while it is configured. */
    private final LogCapture logs = new LogCapture();

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    @Test
    @WithProperties("orders.admin.token=" + SECRET)
    void dlq_endpoints_refuse_missing_or_wrong_tokens_and_accept_the_configured_one() {
        String secret = SECRET;
        String base = baseUrl();
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

    @Test
    @WithProperties("orders.admin.token=")
    void without_a_configured_token_a_random_one_is_generated_logged_once_and_required() {
        Pattern announced = Pattern.compile("generated token for this run only: (\\S+)");
        var lines = logs.events().stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> announced.matcher(m).find()).toList();
        assertThat(lines).hasSize(1);
        Matcher m = announced.matcher(lines.get(0));
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Http.anonymous(baseUrl()).get("/dlq").status()).isEqualTo(401);
        assertThat(Http.withToken(baseUrl(), token).get("/dlq").status()).isEqualTo(200);
    }
}
