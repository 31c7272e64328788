package org.orderplatform.worker;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import org.apache.camel.Exchange;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.observability.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's steps, called from the routes: process one attempt, then complete, retry or dead-letter
 * it. Each step logs the transition it made, with the order's correlation id in the MDC, on the
 * {@code org.orderplatform.transitions} logger (one line per transition).
 * <p>
 * With tracing on, each attempt is a span ({@code order attempt}) and each transition it ends in a short span
 * ({@code order processed}, {@code order retry scheduled}, {@code order dead-lettered}), all children of the span
 * that wrote the order's event (intake, or a reprocess), whichever process and transport runs the attempt.
 */
public class OrderWorker {
    /** Exchange property: the backoff chosen for a retry, read by the transports that delay redelivery. */
    public static final String RETRY_DELAY_MS = "retryDelayMs";
    /** Exchange property: set when an attempt succeeded and waits for completion. */
    public static final String PROCESSED = "attemptSucceeded";

    private static final Logger LOG = LoggerFactory.getLogger(OrderWorker.class);
    private static final Logger TRANSITIONS = LoggerFactory.getLogger("org.orderplatform.transitions");

    private final WorkStore store;
    private final SimulatedProcessing processing;
    private final RetryPolicy retryPolicy;
    private final Duration leaseTimeout;
    private final OrderMetrics metrics;
    private final Tracing tracing;

    public OrderWorker(WorkStore store, SimulatedProcessing processing, RetryPolicy retryPolicy, Duration leaseTimeout,
                       OrderMetrics metrics, Tracing tracing) {
        this.store = store;
        this.processing = processing;
        this.retryPolicy = retryPolicy;
        this.leaseTimeout = leaseTimeout;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * Message transports: starts the attempt an event asks for. Null when there is nothing to start (the
     * order is final, or another worker holds a live lease on it): a duplicate or late delivery.
     *
     * @throws UnknownOrderException when the event names no order (a poison message)
     */
    public WorkItem start(OrderEvent event) throws SQLException {
        return store.start(event, leaseTimeout, retryPolicy.maxAttempts()).orElse(null);
    }

    /**
     * Message transports, a batch at a time: starts the attempts the events ask for, in one statement; one
     * {@link WorkStore.Start} per event, in order (see {@link #start} for what starts nothing).
     */
    public List<WorkStore.Start> startAll(List<OrderEvent> events) throws SQLException {
        return store.startAll(events, leaseTimeout, retryPolicy.maxAttempts());
    }

    /**
     * sqs transport: the event of a message with the trace context its {@code traceparent} attribute carried
     * (the body has none, see {@link OrderEvent}).
     */
    public OrderEvent carried(OrderEvent event, String traceparent) {
        return event.withTraceparent(traceparent);
    }

    /** The event that asks for the next attempt of a work item (for transports that carry it in memory). */
    public OrderEvent nextEvent(WorkItem item) {
        return new OrderEvent(item.eventId(), "OrderRetry", item.orderId(), item.correlationId(), item.traceparent());
    }

    /** Runs the business step for one attempt; throws {@link ProcessingFailedException} when it fails. */
    public void process(Exchange exchange) throws InterruptedException {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        Span span = span(item, "order attempt", SpanKind.CONSUMER, 0);
        try (var mdc = Mdc.of(item)) {
            TRANSITIONS.info("order {} attempt {}: {}", item.orderId(), item.attempt(), OrderStatus.PROCESSING);
            long started = System.nanoTime();
            try {
                processing.process(item);
            } catch (RuntimeException | InterruptedException e) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
                span.recordException(e);
                throw e;
            } finally {
                metrics.processingTook(System.nanoTime() - started);
                span.end();
            }
            exchange.setProperty(PROCESSED, true);
        }
    }

    /**
     * Completes successful attempts in one statement (a whole batch on the outbox and sqs transports); returns
     * those completed, without the ones whose lease this worker lost.
     */
    public List<WorkItem> complete(List<WorkItem> items) throws SQLException {
        long started = tracing.now();
        Map<UUID, Double> done = store.complete(items);
        List<WorkItem> completed = new ArrayList<>(done.size());
        for (WorkItem item : items) {
            try (var mdc = Mdc.of(item)) {
                Double endToEnd = done.get(item.orderId());
                if (tracing.enabled()) {
                    transition(item, "order processed", started,
                            endToEnd != null ? OrderStatus.PROCESSED.name() : "lease_lost", null);
                }
                if (endToEnd != null) {
                    completed.add(item);
                    metrics.processed(endToEnd);
                    TRANSITIONS.info("order {} attempt {}: {}", item.orderId(), item.attempt(), OrderStatus.PROCESSED);
                } else {
                    LOG.warn("order {} attempt {}: lease lost before completion, left to the current holder",
                            item.orderId(), item.attempt());
                }
            }
        }
        return completed;
    }

    /** Completes one successful attempt. */
    public void completeOne(WorkItem item) throws SQLException {
        complete(List.of(item));
    }

    /** Whether the failed attempt in this exchange may be followed by another. */
    public boolean hasAttemptsLeft(Exchange exchange) {
        return retryPolicy.hasAttemptsLeft(exchange.getMessage().getBody(WorkItem.class).attempt());
    }

    /** Schedules the next attempt after the backoff; the schedule and the count are in the database. */
    public void retry(Exchange exchange) throws SQLException {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        String reason = reason(exchange);
        Duration delay = retryPolicy.delayAfter(item.attempt());
        long started = tracing.now();
        try (var mdc = Mdc.of(item)) {
            boolean held = store.retry(item, delay, reason);
            if (tracing.enabled()) {
                transition(item, "order retry scheduled", started, held ? "retry in " + delay.toMillis() + " ms" : "lease_lost",
                        reason);
            }
            if (held) {
                metrics.retried();
                exchange.setProperty(RETRY_DELAY_MS, delay.toMillis());
                TRANSITIONS.info("order {} attempt {}: {} (retry in {} ms: {})", item.orderId(), item.attempt(),
                        OrderStatus.PENDING, delay.toMillis(), reason);
            } else {
                LOG.warn("order {} attempt {}: lease lost before retry", item.orderId(), item.attempt());
            }
        }
    }

    /** Attempts exhausted: FAILED and a DLQ entry, in one statement. Called by the dead-letter channel. */
    public void deadLetter(Exchange exchange) throws SQLException {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        String reason = reason(exchange);
        long started = tracing.now();
        try (var mdc = Mdc.of(item)) {
            Optional<Double> endToEnd = store.deadLetter(item, reason);
            if (tracing.enabled()) {
                transition(item, "order dead-lettered", started,
                        endToEnd.isPresent() ? OrderStatus.FAILED.name() : "lease_lost", reason);
            }
            if (endToEnd.isPresent()) {
                metrics.deadLettered(endToEnd.get());
                TRANSITIONS.warn("order {} attempt {}: {} (dead-lettered: {})", item.orderId(), item.attempt(),
                        OrderStatus.FAILED, reason);
            } else {
                LOG.warn("order {} attempt {}: lease lost before dead-lettering", item.orderId(), item.attempt());
            }
        }
    }

    /** A span of this attempt, in the trace its event carries. */
    private Span span(WorkItem item, String name, SpanKind kind, long startEpochNanos) {
        Span span = tracing.childOf(item.traceparent(), name, kind, startEpochNanos);
        if (tracing.enabled()) {
            span.setAttribute(Tracing.ORDER_ID, item.orderId().toString());
            span.setAttribute(Tracing.ATTEMPT, item.attempt());
            span.setAttribute(Tracing.CORRELATION_ID, item.correlationId());
        }
        return span;
    }

    /** The span of a transition's statement, ended now; a dead-lettering has an error status. */
    private void transition(WorkItem item, String name, long startEpochNanos, String outcome, String reason) {
        Span span = span(item, name, SpanKind.INTERNAL, startEpochNanos);
        span.setAttribute(Tracing.OUTCOME, outcome);
        if (reason != null) {
            span.setAttribute("order.failure_reason", reason);
            if (name.endsWith("dead-lettered")) {
                span.setStatus(StatusCode.ERROR, reason);
            }
        }
        span.end();
    }

    private static String reason(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        String text = cause instanceof ProcessingFailedException ? message : cause.getClass().getSimpleName()
                + (message == null ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    /** Puts the order's correlation id and id in the logging MDC for the duration of a step. */
    static final class Mdc implements AutoCloseable {
        private final String previousCorrelation;
        private final String previousOrder;

        private Mdc(String correlationId, String orderId) {
            previousCorrelation = MDC.get("correlationId");
            previousOrder = MDC.get("orderId");
            MDC.put("correlationId", correlationId);
            MDC.put("orderId", orderId);
        }

        static Mdc of(WorkItem item) {
            return new Mdc(item.correlationId(), item.orderId().toString());
        }

        @Override
        public void close() {
            restore("correlationId", previousCorrelation);
            restore("orderId", previousOrder);
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
