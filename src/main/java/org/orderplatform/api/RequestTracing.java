package org.orderplatform.api;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.MultiMap;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.support.RoutePolicySupport;
import org.orderplatform.observability.Tracing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Route policy of the API routes that write an outbox event ({@link #ROUTES}: intake, reprocess), added to them
 * only when tracing is on: a server span around the request, whose W3C traceparent the route hands to the
 * store in the {@value Tracing#TRACEPARENT} exchange property, so the event carries it to the worker. The request's own {@code traceparent} (and
 * {@code tracestate}) makes the span its child; it is read from the HTTP request itself, never from the Camel
 * headers, where platform-http also puts query parameters. A malformed or repeated header is ignored.
 * <p>
 * With tracing off the policy is not there at all: no span, no property, the event's traceparent stays NULL.
 */
public class RequestTracing extends RoutePolicySupport {
    private static final String SPAN_PROPERTY = "tracingSpan";
    /** Span name by route id. */
    private static final Map<String, String> SPAN_NAMES = Map.of(
            "create-order", "POST /orders",
            "reprocess-order", "POST /dlq/{orderId}/reprocess",
            "reprocess-orders", "POST /dlq/reprocess");
    /** The route ids it applies to. */
    public static final Set<String> ROUTES = SPAN_NAMES.keySet();

    private final Tracing tracing;

    public RequestTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        String name = SPAN_NAMES.getOrDefault(route.getRouteId(), route.getRouteId());
        Span span = tracing.serverSpan(name, requestHeaders(exchange));
        span.setAttribute("http.request.method", "POST");
        span.setAttribute("http.route", name.substring(name.indexOf(' ') + 1));
        exchange.setProperty(SPAN_PROPERTY, span);
        exchange.setProperty(Tracing.TRACEPARENT, Tracing.traceparent(span));
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Span span = exchange.getProperty(SPAN_PROPERTY, Span.class);
        if (span == null) {
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null) {
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        String correlationId = exchange.getProperty(HttpRequests.CORRELATION_PROPERTY, String.class);
        if (correlationId != null) {
            span.setAttribute(Tracing.CORRELATION_ID, correlationId);
        }
        Object orderId = exchange.getProperty(HttpRequests.ORDER_ID_PROPERTY);
        if (orderId == null && exchange.getMessage().getHeader("Location") instanceof String location) {
            orderId = location.substring(location.lastIndexOf('/') + 1);
        }
        if (orderId != null) {
            span.setAttribute(Tracing.ORDER_ID, orderId.toString());
        }
        span.end();
    }

    /**
     * The request's trace headers as a lookup: a header given once, {@code tracestate} joined as W3C allows;
     * nothing (so a new trace) when the request is not at hand or {@code traceparent} is repeated.
     */
    private static Function<String, String> requestHeaders(Exchange exchange) {
        HttpMessage message = exchange.getIn(HttpMessage.class);
        if (message == null || message.getRequest() == null) {
            return null;
        }
        MultiMap headers = message.getRequest().headers();
        return name -> {
            List<String> values = headers.getAll(name);
            if (values.isEmpty()) {
                return null;
            }
            if (values.size() == 1) {
                return values.get(0);
            }
            return Tracing.TRACEPARENT.equals(name) ? null : String.join(",", values);
        };
    }
}
