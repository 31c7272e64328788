package org.orderplatform.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderStatus;
import org.slf4j.MDC;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the API routes need from an HTTP request, refusing bad input with an {@link ApiException}
 * before anything is stored.
 */
public class HttpRequests {
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    public static final String CORRELATION_PROPERTY = "correlationId";
    public static final String ORDER_ID_PROPERTY = "orderId";
    public static final String STATUS_PROPERTY = "statusFilter";
    public static final String LIMIT_PROPERTY = "limit";
    public static final String IDEMPOTENCY_KEY_PROPERTY = "idempotencyKey";
    public static final String CORRELATION_FILTER_PROPERTY = "correlationFilter";
    public static final String ORDER_IDS_PROPERTY = "orderIds";

    /** Client correlation ids are echoed in headers and logs, so only a safe alphabet is kept. */
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** {@code /orders/{orderId}}, {@code /orders/{orderId}/transitions} and {@code /dlq/{orderId}/reprocess}, under any context path. */
    private static final Pattern ORDER_ID_IN_PATH =
            Pattern.compile("/(?:orders|dlq)/([^/]*)(?:/reprocess|/transitions)?/?$");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,9}");

    private final OrderRequestParser parser;
    private final int defaultLimit;
    private final int maxLimit;
    private final OrderIdsParser orderIds;

    public HttpRequests(OrderRequestParser parser, int defaultLimit, int maxLimit) {
        this(parser, defaultLimit, maxLimit, new OrderIdsParser(100));
    }

    /** @param orderIds the body of {@code POST /dlq/reprocess} (orders.api.reprocess-max-ids) */
    public HttpRequests(OrderRequestParser parser, int defaultLimit, int maxLimit, OrderIdsParser orderIds) {
        this.parser = parser;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
        this.orderIds = orderIds;
    }

    /**
     * Takes the client's {@code X-Correlation-Id} when it is 1-128 characters of {@code [A-Za-z0-9._:-]},
     * otherwise (absent, too long, CR/LF or other characters) generates a UUID; never echoes raw input.
     */
    public void correlate(Exchange exchange) {
        String id = correlationId(exchange.getMessage().getHeader(CORRELATION_HEADER));
        exchange.setProperty(CORRELATION_PROPERTY, id);
        MDC.put(CORRELATION_PROPERTY, id);
    }

    /** The correlation id for a request that sent {@code given} (a header value, a list of them, or null). */
    public static String correlationId(Object given) {
        return given instanceof String text && SAFE_CORRELATION_ID.matcher(text).matches()
                ? text : UUID.randomUUID().toString();
    }

    /** Replaces the body of {@code POST /orders}, checked for content type and validated, with its {@link NewOrder}. */
    public void readOrder(Exchange exchange) {
        Message in = exchange.getMessage();
        parser.checkContentType(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        in.setBody(parser.parse(in.getBody(byte[].class)));
    }

    /**
     * Puts the optional {@code Idempotency-Key} header in the {@value #IDEMPOTENCY_KEY_PROPERTY} property:
     * 1-128 characters of {@code [A-Za-z0-9._:-]} (a UUID fits), given once; 400 otherwise.
     */
    public void readIdempotencyKey(Exchange exchange) {
        Object key = exchange.getMessage().getHeader("Idempotency-Key");
        if (key != null && !(key instanceof String text && SAFE_CORRELATION_ID.matcher(text).matches())) {
            throw ApiException.badRequest("invalid_header",
                    "Idempotency-Key must be given once, as 1-128 characters of [A-Za-z0-9._:-]");
        }
        exchange.setProperty(IDEMPOTENCY_KEY_PROPERTY, key);
    }

    /** Puts the {@code {orderId}} of the path in the {@value #ORDER_ID_PROPERTY} property; 400 when it is not a UUID. */
    public void readOrderId(Exchange exchange) {
        exchange.setProperty(ORDER_ID_PROPERTY, orderId(exchange));
    }

    /** Puts the optional {@code status} query parameter in the {@value #STATUS_PROPERTY} property (null: all). */
    public void readStatusFilter(Exchange exchange) {
        exchange.setProperty(STATUS_PROPERTY, statusFilter(exchange));
    }

    /**
     * Puts the optional {@code correlationId} query parameter of {@code GET /orders} in the
     * {@value #CORRELATION_FILTER_PROPERTY} property (null: any); 400 unless it is 1-128 characters of
     * {@code [A-Za-z0-9._:-]}, the only correlation ids the service ever stores.
     */
    public void readCorrelationFilter(Exchange exchange) {
        String raw = queryParameter(exchange, "correlationId");
        if (raw != null && !SAFE_CORRELATION_ID.matcher(raw).matches()) {
            throw ApiException.badRequest("invalid_parameter", "correlationId must be 1-128 characters of [A-Za-z0-9._:-]");
        }
        exchange.setProperty(CORRELATION_FILTER_PROPERTY, raw);
    }

    /**
     * Puts the ids of a {@code POST /dlq/reprocess} body ({@code {"orderIds":[...]}}, JSON only) in the
     * {@value #ORDER_IDS_PROPERTY} property; 415 or 400 otherwise (see {@link OrderIdsParser}).
     */
    public void readOrderIds(Exchange exchange) {
        Message in = exchange.getMessage();
        parser.checkContentType(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        exchange.setProperty(ORDER_IDS_PROPERTY, orderIds.parse(in.getBody(byte[].class)));
    }

    /** Puts the {@code limit} query parameter (or the default) in the {@value #LIMIT_PROPERTY} property. */
    public void readLimit(Exchange exchange) {
        exchange.setProperty(LIMIT_PROPERTY, limit(exchange));
    }

    /**
     * The {@code {orderId}} path segment as a UUID; 400 when it is not one. Read from the request path, not
     * from the message headers: platform-http merges request headers, query parameters and path parameters
     * into one header map, so a client header named {@code orderId} would otherwise compete with the path.
     */
    public UUID orderId(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        Matcher m = path == null ? null : ORDER_ID_IN_PATH.matcher(path);
        UUID id = m != null && m.find() ? OrderIdsParser.canonicalUuid(m.group(1)) : null;
        if (id == null) {
            throw ApiException.badRequest("invalid_id", "orderId must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
        }
        return id;
    }

    /** The optional {@code status} filter of {@code GET /orders}. */
    public OrderStatus statusFilter(Exchange exchange) {
        String raw = queryParameter(exchange, "status");
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
        String raw = queryParameter(exchange, "limit");
        if (raw == null) {
            return defaultLimit;
        }
        if (LIMIT.matcher(raw).matches()) {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        }
        throw ApiException.badRequest("invalid_parameter", "limit must be an integer between 1 and " + maxLimit);
    }

    /**
     * A query parameter given at most once, from the query string itself: request headers that happen to
     * share its name (platform-http copies both into the message headers) must not act as parameters.
     */
    private static String queryParameter(Exchange exchange, String name) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (query == null || query.isEmpty()) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), name);
            if (!key.equals(name)) {
                continue;
            }
            if (found != null) {
                throw ApiException.badRequest("invalid_parameter", name + " must be given once");
            }
            found = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
        }
        return found;
    }

    private static String decode(String text, String parameter) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "the query string is not properly encoded near " + parameter);
        }
    }
}
