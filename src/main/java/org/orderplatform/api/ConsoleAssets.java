package org.orderplatform.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the operator console ({@code GET /console/...}) from the jar: a fixed list of files under
 * {@code classpath:console/}, read once at start-up. A request names one of them exactly or gets a 404: the
 * path is never decoded, joined or resolved against a folder, so no spelling of {@code ..} (plain, encoded,
 * double-encoded, backslashed) can reach another resource.
 * <p>
 * Every answer carries a Content-Security-Policy that allows scripts, styles and requests from this origin
 * only and no inline script or style, so neither a foreign origin nor an injected string can run code with
 * the operator token the page holds.
 */
public class ConsoleAssets {
    /** The prefix the console route listens on. */
    public static final String BASE = "/console";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> content;

    public ConsoleAssets() {
        java.util.HashMap<String, byte[]> loaded = new java.util.HashMap<>();
        for (String name : FILES.keySet()) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console file missing from the classpath: console/" + name);
                }
                loaded.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.content = Map.copyOf(loaded);
    }

    /** Answers one console request: the file, a redirect from {@code /console} to {@code /console/}, or 404. */
    public void serve(Exchange exchange) {
        Message message = exchange.getMessage();
        String path = rawPath(message);
        int at = path.lastIndexOf(BASE + "/");
        if (at < 0 && !path.endsWith(BASE)) {
            throw new ApiException(404, "not_found", "no such console file");
        }
        if (at < 0) {
            // /console itself: relative links in the page need the trailing slash
            message.removeHeaders("*");
            message.setBody(new byte[0]);
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 308);
            message.setHeader("Location", "console/");
            return;
        }
        String name = path.substring(at + BASE.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        String type = FILES.get(name);
        if (type == null || path.indexOf(BASE + "/") != at) {
            throw new ApiException(404, "not_found", "no such console file");
        }
        message.removeHeaders("*");
        message.setBody(content.get(name));
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cache-Control", "no-cache");
    }

    /** The path as the client sent it (before any decoding), without the query string. */
    private static String rawPath(Message message) {
        String uri = message.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return "";
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
