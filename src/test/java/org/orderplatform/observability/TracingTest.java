package org.orderplatform.observability;

import ch.qos.logback.classic.Level;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.api.RequestTracing;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.Orders;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.support.WithProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OpenTelemetry tracing across the asynchronous hops: one order's spans share one trace from POST to PROCESSED,
 * with the worker in another Camel context (an api and a worker Platform on one database, each with its own
 * in-memory exporter, as two processes would export to one collector), over outbox and over sqs; on inprocess
 * with retries, dead-lettering and a reprocess. The request's traceparent header is honoured when valid and
 * ignored when not; tracing off writes no span and no trace context.
 * <p>
 * One application is booted with Camel's test support, its exporter bound before the start ({@link #beans}); the
 * tests across two processes keep the hand-made harness ({@link Platform}), an api and a worker in one JVM, and
 * leave the test support's context unstarted.
 */
class TracingTest extends PlatformTestSupport {
    private static final String INTAKE = "POST /orders";
    private static final String REPROCESS = "POST /dlq/{orderId}/reprocess";
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private static Map<String, String> traced(Db db, String role) {
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.role", role);
        p.put("orders.tracing.enabled", "true");
        return p;
    }

    /** The exporter of the application the test support boots. */
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @Override
    protected void beans(Map<String, Object> beans) {
        beans.put("tracingSpanExporter", spans);
    }

    @Override
    public boolean isUseAdviceWith() {
        // started by the tests of one application only
        return true;
    }

    private static void flush(CamelContext context) {
        context.getRegistry().lookupByNameAndType("tracing", Tracing.class).flush();
    }

    private static List<SpanData> ofOrder(InMemorySpanExporter exporter, String orderId) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> orderId.equals(s.getAttributes().get(Tracing.ORDER_ID))).toList();
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which, String what) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as(what + " in " + spans).hasSize(1);
        return found.get(0);
    }

    private static Predicate<SpanData> named(String name) {
        return s -> s.getName().equals(name);
    }

    private static String traceparent(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
    }

    /**
     * The api's intake span and the worker's spans of one order, in one trace: the attempt and its completion are
     * children of the intake span, and the outbox row kept the intake span's traceparent.
     */
    private static void oneTraceAcrossProcesses(Db db, Map<String, String> api, Map<String, String> worker) {
        InMemorySpanExporter apiSpans = InMemorySpanExporter.create();
        InMemorySpanExporter workerSpans = InMemorySpanExporter.create();
        try (Platform apiProcess = Platform.start(api, Map.of("tracingSpanExporter", apiSpans));
             Platform workerProcess = Platform.start(worker, Map.of("tracingSpanExporter", workerSpans))) {
            String id = new Http(apiProcess.baseUrl()).createOrder();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED' AND id = '" + id + "'") == 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                flush(apiProcess.context());
                flush(workerProcess.context());
                assertThat(ofOrder(workerSpans, id)).anyMatch(named("order processed"));
            });

            SpanData intake = only(ofOrder(apiSpans, id), named(INTAKE), "the intake span");
            assertThat(intake.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(intake.getParentSpanContext().isValid()).as("a new trace: the request had no traceparent").isFalse();
            assertThat(intake.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(202L);
            assertThat(ofOrder(apiSpans, id)).as("the api process runs no attempt").hasSize(1);

            List<SpanData> work = ofOrder(workerSpans, id);
            SpanData attempt = only(work, named("order attempt"), "the attempt span");
            SpanData processed = only(work, named("order processed"), "the completion span");
            assertThat(work).allSatisfy(s -> {
                assertThat(s.getTraceId()).as("one trace").isEqualTo(intake.getTraceId());
                assertThat(s.getParentSpanId()).as("a child of the intake span").isEqualTo(intake.getSpanId());
            });
            assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(attempt.getAttributes().get(Tracing.ATTEMPT)).isEqualTo(1L);
            assertThat(processed.getAttributes().get(Tracing.OUTCOME)).isEqualTo("PROCESSED");
            assertThat(attempt.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                    .isEqualTo("order-platform");
            assertThat(db.query("SELECT traceparent FROM outbox WHERE order_id = '" + id + "'"))
                    .extracting(r -> r.get("traceparent")).containsExactly(traceparent(intake));
        }
    }

    @Test
    void one_trace_from_post_to_processed_over_the_outbox_with_the_worker_in_another_process() {
        Db db = new Db(TestDatabase.newDatabase("trace_outbox"));
        oneTraceAcrossProcesses(db, traced(db, "api"), traced(db, "worker"));
    }

    @Test
    void one_trace_from_post_to_processed_over_sqs_with_the_worker_in_another_process() {
        Db db = new Db(TestDatabase.newDatabase("trace_sqs"));
        int sqsPort = Platform.freePort();
        Map<String, String> api = traced(db, "api");
        api.put("orders.transport", "sqs");
        api.put("orders.sqs.embedded-port", String.valueOf(sqsPort));
        api.put("orders.sqs.relay-interval-ms", "20");
        Map<String, String> worker = traced(db, "worker");
        worker.put("orders.transport", "sqs");
        worker.put("orders.sqs.endpoint", "http://127.0.0.1:" + sqsPort);
        worker.put("orders.sqs.wait-time-seconds", "1");
        oneTraceAcrossProcesses(db, api, worker);
    }

    /**
     * inprocess, every attempt failing: both attempts, the retry and the dead-lettering are in the intake's trace;
     * the reprocess request starts a new trace, and the attempts after it are its children.
     */
    @Test
    @WithProperties({"orders.tracing.enabled=true", "orders.transport=inprocess",
            "orders.processing.failure-probability=1.0", "orders.retry.max-attempts=2"})
    void retries_and_dead_lettering_stay_in_the_intake_trace_and_a_reprocess_starts_its_own() {
        context.start();
        Http http = http();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 1);
        String id = http.createOrder();
        awaitRoute(deadLettered, Duration.ofSeconds(30));
        assertThat(new Orders(db).dlqEntries(id)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            flush(context);
            assertThat(ofOrder(spans, id)).anyMatch(named("order dead-lettered"));
        });
        List<SpanData> first = ofOrder(spans, id);
        SpanData intake = only(first, named(INTAKE), "the intake span");
        assertThat(first).filteredOn(named("order attempt")).hasSize(2)
                .allSatisfy(a -> assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
        only(first, named("order retry scheduled"), "the retry");
        SpanData dead = only(first, named("order dead-lettered"), "the dead-lettering");
        assertThat(dead.getAttributes().get(Tracing.OUTCOME)).isEqualTo("FAILED");
        assertThat(first).filteredOn(s -> s != intake).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(intake.getTraceId());
            assertThat(s.getParentSpanId()).isEqualTo(intake.getSpanId());
        });

        spans.reset();
        NotifyBuilder deadLetteredAgain = whenSentAndDone("direct:dead-lettered", 1);
        assertThat(http.post("/dlq/" + id + "/reprocess", null, null).status()).isEqualTo(202);
        awaitRoute(deadLetteredAgain, Duration.ofSeconds(30));
        assertThat(new Orders(db).dlqEntries(id)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM order_transitions WHERE order_id = ?::uuid AND to_status = 'FAILED'", id))
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            flush(context);
            assertThat(ofOrder(spans, id)).anyMatch(named("order dead-lettered"));
        });
        List<SpanData> second = ofOrder(spans, id);
        SpanData reprocess = only(second, named(REPROCESS), "the reprocess span");
        assertThat(reprocess.getTraceId()).as("a reprocess starts a new trace").isNotEqualTo(intake.getTraceId());
        assertThat(second).filteredOn(named("order attempt")).hasSize(2).allSatisfy(a -> {
            assertThat(a.getTraceId()).isEqualTo(reprocess.getTraceId());
            assertThat(a.getParentSpanId()).isEqualTo(reprocess.getSpanId());
        });
        assertThat(db.query("SELECT traceparent FROM outbox WHERE order_id = '" + id
                + "' AND event_type = 'OrderReprocessed'")).extracting(r -> r.get("traceparent"))
                .containsExactly(traceparent(reprocess));
    }

    /**
     * A valid traceparent header makes the intake span its child; a malformed one, or one given only as a query
     * parameter (platform-http would make it a Camel header), is ignored: a new trace, a 202, no error logged.
     */
    @Test
    @WithProperties("orders.tracing.enabled=true")
    void an_incoming_traceparent_header_is_honoured_and_a_malformed_one_ignored() {
        context.start();
        try (LogCapture logs = new LogCapture()) {
            Http http = http();
            String caller = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
            String honoured = http.createOrder("traceparent", caller, "tracestate", "vendor=value");
            String malformed = http.createOrder("traceparent", "00-" + CALLER_TRACE + "-not-a-span-id-01");
            String zeros = http.createOrder("traceparent", "00-00000000000000000000000000000000-" + CALLER_SPAN + "-01");
            Http.Response viaQuery = http.post("/orders?traceparent=" + caller, "application/json", Http.VALID_ORDER);
            assertThat(viaQuery.status()).isEqualTo(202);
            String queried = viaQuery.json().get("orderId").asText();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                flush(context);
                for (String id : List.of(honoured, malformed, zeros, queried)) {
                    assertThat(ofOrder(spans, id)).anyMatch(named(INTAKE));
                }
            });
            SpanData child = only(ofOrder(spans, honoured), named(INTAKE), "intake");
            assertThat(child.getTraceId()).isEqualTo(CALLER_TRACE);
            assertThat(child.getParentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(child.getParentSpanContext().isRemote()).isTrue();
            assertThat(child.getSpanContext().getTraceState().get("vendor")).isEqualTo("value");
            for (String id : List.of(malformed, zeros, queried)) {
                SpanData root = only(ofOrder(spans, id), named(INTAKE), "intake");
                assertThat(root.getParentSpanContext().isValid()).as("order " + id + ": a new trace").isFalse();
                assertThat(root.getTraceId()).isNotEqualTo(CALLER_TRACE);
            }
            assertThat(logs.events()).as("nothing logged as an error")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
        }
    }

    /** Tracing off (the default): the exporter gets nothing and every event's trace context stays NULL. */
    @Test
    @WithProperties("orders.transport=outbox")
    void tracing_off_exports_nothing_and_stores_no_trace_context() {
        context.start();
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        String id = http().createOrder("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
        awaitRoute(attempt, Duration.ofSeconds(30));
        new Orders(db).awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
        assertThat(context.getRegistry().lookupByNameAndType("tracing", Tracing.class)).isNull();
        assertThat(context.getRoute("create-order").getRoutePolicyList())
                .as("no route policy on intake: nothing per request").noneMatch(RequestTracing.class::isInstance);
        context.stop();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM outbox")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE traceparent IS NOT NULL")).isZero();
    }
}
