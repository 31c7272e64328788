package org.orderplatform.api;

import org.orderplatform.infra.Settings;

import java.time.Duration;

/**
 * How long the HTTP server waits for a client, and how many it serves at once (orders.http.*). Vert.x sets none of
 * these by default: a connection that sends nothing, or a header a byte at a time, would hold a socket for ever.
 *
 * @param idleTimeout    a connection with no byte read or written for this long is closed (between requests)
 * @param headerTimeout  a request's line and headers must arrive within this, counted from the connection's
 *                       opening for its first request and from a request's first byte for the later ones
 * @param bodyTimeout    a request's body must arrive within this once its headers have
 * @param maxConnections open connections per server beyond this are answered 503 and closed at once
 */
public record HttpLimits(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxConnections) {

    public static HttpLimits of(Settings settings) {
        return new HttpLimits(
                Duration.ofMillis(settings.longValue("orders.http.idle-timeout-ms", 1)),
                Duration.ofMillis(settings.longValue("orders.http.header-timeout-ms", 1)),
                Duration.ofMillis(settings.longValue("orders.http.body-timeout-ms", 1)),
                settings.integer("orders.http.max-connections", 1, 1_000_000));
    }
}
