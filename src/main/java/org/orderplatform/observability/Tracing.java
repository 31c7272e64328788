package org.orderplatform.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * OpenTelemetry tracing of an order's way through the service (orders.tracing.*, docs/operations.md "Tracing"):
 * a server span per intake or reprocess request, whose W3C {@code traceparent} is stored with the outbox event and
 * carried by every transport, and spans for the worker's attempts and transitions as its children, so that one
 * trace shows an order from {@code POST} to {@code PROCESSED} across processes.
 * <p>
 * Off by default: {@link #off()} holds no SDK object, and every method then answers a constant (the invalid span,
 * whose methods do nothing, or null), so the hot paths allocate nothing for tracing. On, spans go through a batch
 * processor to the exporter; {@link #close()} (when Camel stops) exports what is queued and shuts it down.
 */
public final class Tracing implements AutoCloseable {
    /** The W3C header, outbox column and SQS message attribute that carry the trace context. */
    public static final String TRACEPARENT = "traceparent";
    public static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("order.correlation_id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("order.attempt");
    public static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("order.transport");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("order.outcome");

    private static final Tracing OFF = new Tracing(null, null);
    /**
     * OpenTelemetry's own logger (java.util.logging), held so that its configuration is not collected: its
     * messages (an unreachable collector) go to the service's log, in its format, instead of standard error.
     */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.opentelemetry");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** A stored or carried traceparent value as the propagator's carrier. */
    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    /** Request headers by name (null when absent or not usable) as the propagator's carrier. */
    private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of(TRACEPARENT, "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** Tracing off: no SDK, no spans, nothing stored. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Tracing on: spans of this process, named {@code serviceName}/{@code instanceId} (the worker id) in the
     * resource with the {@code transport} that carries its events, sampled at
     * {@code sampleRatio} for new traces (a trace that arrives keeps its parent's decision), exported in batches.
     */
    public static Tracing on(SpanExporter exporter, String serviceName, String instanceId, String transport,
                             double sampleRatio) {
        routeSdkLog();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), serviceName,
                AttributeKey.stringKey("service.instance.id"), instanceId,
                TRANSPORT, transport)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return new Tracing(provider, provider.get("org.orderplatform"));
    }

    private static synchronized void routeSdkLog() {
        if (SDK_LOG.getUseParentHandlers()) {
            SDK_LOG.setUseParentHandlers(false);
            SDK_LOG.addHandler(new org.slf4j.bridge.SLF4JBridgeHandler());
        }
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * A server span for a request, the child of the request's own trace context ({@code traceparent} and
     * {@code tracestate} read through {@code header}) when it is valid, else the root of a new trace. A malformed
     * header is ignored, as W3C Trace Context asks, and never fails the request. The invalid span when off.
     */
    public Span serverSpan(String name, Function<String, String> header) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        Context parent = W3C.extract(Context.root(), header, HEADERS);
        return tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(parent).startSpan();
    }

    /**
     * A span in the trace that {@code traceparent} (stored with an outbox event, carried by a message) names,
     * started at {@code startEpochNanos} (0: now). A new trace when the value is absent or not valid (an event
     * written while tracing was off). The invalid span when off.
     */
    public Span childOf(String traceparent, String name, SpanKind kind, long startEpochNanos) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        if (traceparent == null) {
            builder.setNoParent();
        } else {
            builder.setParent(W3C.extract(Context.root(), traceparent, STORED));
        }
        if (startEpochNanos > 0) {
            builder.setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
        }
        return builder.startSpan();
    }

    /** The current time for {@link #childOf}'s start, 0 when off (nothing reads the clock then). */
    public long now() {
        return tracer == null ? 0 : System.currentTimeMillis() * 1_000_000L;
    }

    /** The W3C traceparent of {@code span} (version 00, 55 characters); null for the invalid span. */
    public static String traceparent(Span span) {
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** Exports the spans ended so far (tests, and before a shutdown). */
    public void flush() {
        if (provider != null) {
            provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    /** Exports what is queued and stops the exporter; called when Camel stops. */
    @Override
    public void close() {
        if (provider != null) {
            CompletableResultCode done = provider.shutdown().join(10, TimeUnit.SECONDS);
            if (!done.isSuccess()) {
                org.slf4j.LoggerFactory.getLogger(Tracing.class)
                        .warn("Tracing: the last spans could not be exported within 10 s");
            }
        }
    }
}
