package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.Unavailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes every API answer: JSON bodies, the status, {@code X-Correlation-Id}, and nothing else. All
 * request headers are dropped first, so nothing a client sent is echoed back.
 */
public class HttpResponses {
    private static final Logger LOG = LoggerFactory.getLogger(HttpResponses.class);

    private final ObjectMapper mapper;
    private final long reportIntervalMs;
    /** Requests answered 503 since the last report, and when the next report may come. */
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong nextReportAt = new AtomicLong();

    /** @param reportIntervalMs at most one report of an unavailable database per interval (orders.poll.report-interval-ms) */
    public HttpResponses(ObjectMapper mapper, long reportIntervalMs) {
        this.mapper = mapper;
        this.reportIntervalMs = reportIntervalMs;
    }

    /** 202 for an accepted order (intake or reprocess), with its Location. */
    public void accepted(Exchange exchange) {
        OrderEvent event = exchange.getMessage().getBody(OrderEvent.class);
        respond(exchange, 202, new AcceptedOrder(event.orderId().toString(), "PENDING",
                exchange.getProperty(HttpRequests.CORRELATION_PROPERTY, String.class)));
        exchange.getMessage().setHeader("Location", "/orders/" + event.orderId());
    }

    /** 202 for a retried request whose Idempotency-Key names an order already accepted: the first answer again. */
    public void replayed(Exchange exchange) {
        OrderEvent event = exchange.getMessage().getBody(OrderEvent.class);
        // the first answer again, correlation id included (body and header agree)
        exchange.setProperty(HttpRequests.CORRELATION_PROPERTY, event.correlationId());
        respond(exchange, 202, new AcceptedOrder(event.orderId().toString(), "PENDING", event.correlationId()));
        exchange.getMessage().setHeader("Location", "/orders/" + event.orderId());
        exchange.getMessage().setHeader("Idempotent-Replayed", "true");
    }

    /** 200 with the body as JSON. */
    public void ok(Exchange exchange) {
        respond(exchange, 200, exchange.getMessage().getBody());
    }

    /**
     * The answer to whatever went wrong: {@link ApiException}s as they say, an unreachable database as 503,
     * anything else as a 500 whose details go to the log, never to the client.
     */
    public void failure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException api = apiException(cause);
        if (api != null) {
            error(exchange, api);
        } else if (isDatabaseUnavailable(cause)) {
            reportUnavailable(cause);
            error(exchange, new ApiException(503, "service_unavailable",
                    "the order database is unavailable; retry later"));
        } else {
            LOG.error("Unexpected error answering {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), cause);
            error(exchange, new ApiException(500, "internal_error", "unexpected error; see the server log"));
        }
    }

    /** One warning when the database goes away, then at most one per interval with the count, not one per request. */
    private void reportUnavailable(Throwable cause) {
        refused.incrementAndGet();
        long now = System.currentTimeMillis();
        long next = nextReportAt.get();
        if (now >= next && nextReportAt.compareAndSet(next, now + reportIntervalMs)) {
            LOG.warn("Database unavailable: {} request(s) answered 503 since the last report ({})",
                    refused.getAndSet(0), cause.toString());
        }
    }

    private void error(Exchange exchange, ApiException error) {
        respond(exchange, error.status(), new ApiError(error.code(), OrderRequestParser.printable(error.getMessage(), 300)));
        if (error.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"orders-admin\"");
        }
    }

    private void respond(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        try {
            // a ByteBuffer, not the byte[]: platform-http-vertx 4.18 writes a ByteBuffer body as it is (with its
            // Content-Length), while it turns a byte[] into an InputStream pumped onto the event loop in chunks,
            // which was about 14 % of the api's CPU under load (docs/performance.md, third round)
            message.setBody(ByteBuffer.wrap(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response", e);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        String correlationId = exchange.getProperty(HttpRequests.CORRELATION_PROPERTY, String.class);
        if (correlationId != null) {
            message.setHeader(HttpRequests.CORRELATION_HEADER, correlationId);
        }
        // the answer is the request's last step: its correlation id must not tag the next request this
        // thread serves (HttpRequests.correlate put it in the MDC; Camel's MDC logging is off for speed)
        MDC.remove(HttpRequests.CORRELATION_PROPERTY);
    }

    /** The refusal in the cause chain: Camel wraps what a bean throws from an expression or a type conversion. */
    private static ApiException apiException(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }

    static boolean isDatabaseUnavailable(Throwable error) {
        return Unavailability.ofDatabase(error);
    }
}
