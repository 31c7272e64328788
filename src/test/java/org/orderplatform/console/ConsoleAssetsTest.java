package org.orderplatform.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.api.ConsoleAssets;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files come from the jar with their content types and a Content-Security-Policy, and no
 * spelling of a path outside the console reaches anything: requests are sent raw over a socket, so the
 * client normalizes nothing.
 */
class ConsoleAssetsTest {
    private static Platform platform;

    @BeforeAll
    static void start() {
        Db db = new Db(TestDatabase.newDatabase("console_assets"));
        platform = Platform.start(Platform.defaults(db.url()));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void the_console_files_are_served_with_their_types_and_a_strict_policy() {
        Http anonymous = Http.anonymous(platform.baseUrl());
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
    void no_path_leaves_the_console_files(String path) {
        String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertThat(status).as(path).matches("HTTP/1.1 (400|404) .*");
        assertThat(answer).as(path).doesNotContain("orders.admin.token", "camel.server", "CREATE TABLE", "root:",
                "<configuration", "sessionStorage");
    }

    private static String raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", platform.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
