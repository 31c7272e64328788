package org.orderplatform.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.api.ConsoleAssets;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files come from the jar with their content types and a Content-Security-Policy, and no
 * spelling of a path outside the console reaches anything: requests are sent raw over a socket, so the
 * client normalizes nothing. The seventeen cases only read files, so they share one application (Camel's test
 * support, per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAssetsTest extends PlatformTestSupport {

    @Test
    void the_console_files_are_served_with_their_types_and_a_strict_policy() {
        Http anonymous = Http.anonymous(baseUrl());
        String[][] files = {
                {"/console/", "text/html; charset=utf-8", "<title>Order Platform: operator console</title>"},
                {"/console/index.html", "text/html; charset=utf-8", "<script src=\"console.js\" defer></script>"},
                {"/console/console.js", "text/javascript; charset=utf-8", "sessionStorage"},
                {"/console/console.css", "text/css; charset=utf-8", ":focus-visible"},
                {"/console/favicon.svg", "image/svg+xml", "<svg"},
        };
        for (String[] f : files) {
            Http.Response r = anonymous.get(f[0]);
            assertThat(r.status()).as(f[0]).isEqualTo(200);
            assertThat(r.header("Content-Type")).as(f[0]).isEqualTo(f[1]);
            assertThat(r.body()).as(f[0]).contains(f[2]);
            assertThat(r.header("Content-Security-Policy")).isEqualTo(ConsoleAssets.CONTENT_SECURITY_POLICY);
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        String csp = ConsoleAssets.CONTENT_SECURITY_POLICY;
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
        String html = anonymous.get("/console/").body();
        assertThat(html).as("no inline script or style, nothing from another origin")
                .doesNotContainPattern("<script>|<script [^>]*>[^<]|style=|<style|\\son[a-z]+=|https?://");

        Http.Response bare = anonymous.get("/console");
        assertThat(bare.status()).isEqualTo(308);
        assertThat(bare.header("Location")).isEqualTo("console/");
        assertThat(anonymous.method("POST", "/console/").status()).isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/console/../application.properties",
            "/console/%2e%2e/application.properties",
            "/console/%2E%2E%2Fapplication.properties",
            "/console/..%2fapplication.properties",
            "/console/%252e%252e%252fapplication.properties",
            "/console/..\\application.properties",
            "/console/..%5capplication.properties",
            "/console//application.properties",
            "/console/./application.properties",
            "/console/console/../../application.properties",
            "/console/console.js/../../logback.xml",
            "/console/%2e%2e/%2e%2e/etc/passwd",
            "/console/index.html%00.js",
            "/console/application.properties",
            "/console/../db/migration/V1__orders_outbox_dlq.sql",
            "/consolex",
    })
    void no_path_leaves_the_console_files(String path) throws IOException {
        String answer = rawHttp().exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertThat(status).as(path).matches("HTTP/1.1 (400|404) .*");
        assertThat(answer).as(path).doesNotContain("orders.admin.token", "camel.server", "CREATE TABLE", "root:",
                "<configuration", "sessionStorage");
    }
}
