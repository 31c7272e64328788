package org.orderplatform.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderStatus;
import org.slf4j.MDC;

import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads what the API routes need from an HTTP request, refusing bad input with an {@link ApiException}
 * before anything is stored.
 */
public class HttpRequests {
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    public static final String CORRELATION_PROPERTY = "correlationId";

    /** Client correlation ids are echoed in headers and logs, so only a safe alphabet is kept. */
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final OrderRequestParser parser;
    private final int defaultLimit;
    private final int maxLimit;

    public HttpRequests(OrderRequestParser parser, int defaultLimit, int maxLimit) {
        this.parser = parser;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
    }

    /**
     * Takes the client's {@code X-Correlation-Id} when it is 1-128 characters of {@code [A-Za-z0-9._:-]},
     * otherwise (absent, too long, CR/LF or other characters) generates a UUID; never echoes raw input.
     */
    public void correlate(Exchange exchange) {
        String given = exchange.getMessage().getHeader(CORRELATION_HEADER, String.class);
        String id = given != null && SAFE_CORRELATION_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        exchange.setProperty(CORRELATION_PROPERTY, id);
        MDC.put(CORRELATION_PROPERTY, id);
    }

    /** The body of {@code POST /orders}, checked for content type and validated. */
    public NewOrder newOrder(Exchange exchange) {
        Message in = exchange.getMessage();
        parser.checkContentType(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        return parser.parse(in.getBody(byte[].class));
    }

    /** The {@code {orderId}} path parameter as a UUID; 400 when it is not one. */
    public UUID orderId(Exchange exchange) {
        String raw = single(exchange, "orderId");
        if (raw == null || !CANONICAL_UUID.matcher(raw).matches()) {
            throw ApiException.badRequest("invalid_id", "orderId must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
        }
        return UUID.fromString(raw);
    }

    /** The optional {@code status} filter of {@code GET /orders}. */
    public OrderStatus statusFilter(Exchange exchange) {
        String raw = single(exchange, "status");
        if (raw == null) {
            return null;
        }
        try {
            return OrderStatus.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter",
                    "status must be one of PENDING, PROCESSING, PROCESSED, FAILED");
        }
    }

    /** The {@code limit} query parameter: an integer from 1 to the configured maximum. */
    public int limit(Exchange exchange) {
        String raw = single(exchange, "limit");
        if (raw == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid_parameter", "limit must be an integer between 1 and " + maxLimit);
    }

    private static String single(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        if (value instanceof Collection<?> values) {
            throw ApiException.badRequest("invalid_parameter", name + " must be given once");
        }
        return value == null ? null : value.toString();
    }
}
