package org.orderplatform.api;

import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards the operator endpoints ({@code /dlq}, {@code /dlq/{id}/reprocess}, {@code /dlq/reprocess}, {@code /stats}) with
 * {@code Authorization: Bearer <orders.admin.token>}. The comparison takes the same time whatever the
 * given token (digests compared with {@link MessageDigest#isEqual}); the token is never logged or echoed.
 */
public class AdminAuth {
    private final byte[] expected;

    public AdminAuth(String token) {
        this.expected = digest(token);
    }

    /** Refuses the request with 401 unless it carries the admin bearer token. */
    public void check(Exchange exchange) {
        Object header = exchange.getMessage().getHeader("Authorization");
        String given = header instanceof String text && text.regionMatches(true, 0, "Bearer ", 0, 7)
                ? text.substring(7).trim() : "";
        if (!MessageDigest.isEqual(expected, digest(given))) {
            throw new ApiException(401, "unauthorized",
                    "operator endpoints need the header Authorization: Bearer <orders.admin.token>");
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
