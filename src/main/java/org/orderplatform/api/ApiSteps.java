package org.orderplatform.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.observability.Tracing;

import java.util.List;
import java.util.UUID;

/**
 * The business steps of the API routes that call the store: each reads what {@link HttpRequests} put in the
 * exchange properties, calls {@link OrderStore} and puts the result in the body. ApiConfiguration binds each
 * method as a {@link org.apache.camel.Processor} (routes/api/orders-api.camel.yaml names them in {@code process}
 * steps): a plain call per request, where a {@code bean} step with arguments in simple language cost a reflective
 * parameter binding, and its return value a copy of the message with all its headers.
 * <p>
 * The counters of accepted and reprocessed orders are incremented here, by the step that stores the order, so
 * that no route lists them as steps of its own. A missing order is the store's {@link ApiException} (404).
 */
public final class ApiSteps {
    /** Exchange property: true when POST /orders was a retry with a known Idempotency-Key (nothing stored). */
    public static final String REPLAYED_PROPERTY = "replayed";

    private final OrderStore store;
    private final OrderMetrics metrics;

    public ApiSteps(OrderStore store, OrderMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * POST /orders: stores the order of the body ({@link NewOrder}) with its event; the body becomes the
     * {@link org.orderplatform.domain.OrderEvent}, and {@value #REPLAYED_PROPERTY} tells a replay.
     */
    public void storeOrder(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Intake intake = store.create(message.getBody(NewOrder.class),
                exchange.getProperty(HttpRequests.CORRELATION_PROPERTY, String.class),
                exchange.getProperty(HttpRequests.IDEMPOTENCY_KEY_PROPERTY, String.class),
                exchange.getProperty(Tracing.TRACEPARENT, String.class));
        message.setBody(intake.event());
        exchange.setProperty(REPLAYED_PROPERTY, intake.replayed());
        if (!intake.replayed()) {
            metrics.accepted();
        }
    }

    /** GET /orders/{orderId}: the order, or 404. */
    public void findOrder(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.find(orderId(exchange)));
    }

    /** GET /orders: a page of orders, newest first. */
    public void listOrders(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.list(exchange.getProperty(HttpRequests.STATUS_PROPERTY, OrderStatus.class),
                exchange.getProperty(HttpRequests.LIMIT_PROPERTY, Integer.class),
                exchange.getProperty(HttpRequests.CORRELATION_FILTER_PROPERTY, String.class)));
    }

    /** GET /orders/{orderId}/transitions: the order's history, or 404. */
    public void listTransitions(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.transitions(orderId(exchange)));
    }

    /** GET /dlq: DLQ entries, newest first. */
    public void listDeadLetters(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.deadLetters(exchange.getProperty(HttpRequests.LIMIT_PROPERTY, Integer.class)));
    }

    /** POST /dlq/{orderId}/reprocess: the body becomes the new event; 404 or 409 when refused. */
    public void reprocessOrder(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.reprocess(orderId(exchange), exchange.getProperty(Tracing.TRACEPARENT, String.class)));
        metrics.reprocessed();
    }

    /** POST /dlq/reprocess: the body becomes the per-id {@link BulkReprocess}. */
    @SuppressWarnings("unchecked")
    public void reprocessOrders(Exchange exchange) throws Exception {
        BulkReprocess result = store.reprocessAll(exchange.getProperty(HttpRequests.ORDER_IDS_PROPERTY, List.class),
                exchange.getProperty(Tracing.TRACEPARENT, String.class));
        exchange.getMessage().setBody(result);
        metrics.reprocessed(result.reprocessed());
    }

    /** GET /stats: the console's overview. */
    public void stats(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(store.stats());
    }

    private static UUID orderId(Exchange exchange) {
        return exchange.getProperty(HttpRequests.ORDER_ID_PROPERTY, UUID.class);
    }
}
