package org.orderplatform.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own metrics, tagged with the transport, served by Camel at {@code /observe/metrics} in
 * Prometheus format ({@code orders.processed} is scraped as {@code orders_processed_total}, timers as
 * {@code _seconds} histograms). Camel's route metrics come beside them.
 */
public final class OrderMetrics {
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};

    private final Counter accepted;
    private final Counter reprocessed;
    private final Counter processed;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter relaySent;
    private final Counter relayRefused;
    private final Counter sqsReceived;
    private final Counter sqsDeleted;
    private final Counter sqsDelayed;
    private final Timer processing;
    private final Timer endToEnd;
    private final AtomicLong outboxReady = new AtomicLong();
    private final AtomicLong outboxLocked = new AtomicLong();
    private final AtomicLong outboxOldestAgeMs = new AtomicLong();
    private final AtomicLong dlqSize = new AtomicLong();

    public OrderMetrics(MeterRegistry registry, String transport) {
        Tags tags = Tags.of("transport", transport);
        accepted = counter(registry, "orders.accepted", "orders accepted by POST /orders", tags);
        reprocessed = counter(registry, "orders.reprocessed", "dead-lettered orders sent back by an operator", tags);
        processed = counter(registry, "orders.processed", "orders completed (PROCESSED)", tags);
        retried = counter(registry, "orders.retried", "failed attempts scheduled for another attempt", tags);
        deadLettered = counter(registry, "orders.failed", "orders whose attempts ran out (FAILED, DLQ entry)", tags);
        relaySent = counter(registry, "orders.relay.sent", "outbox events sent to SQS by the relay", tags);
        relayRefused = counter(registry, "orders.relay.refused", "outbox events SQS refused (sent again later)", tags);
        sqsReceived = counter(registry, "orders.sqs.received", "SQS messages received by the worker", tags);
        sqsDeleted = counter(registry, "orders.sqs.deleted", "SQS messages deleted after a final state (completed, dead-lettered, duplicate)", tags);
        sqsDelayed = counter(registry, "orders.sqs.delayed", "SQS messages kept invisible for a retry backoff", tags);
        processing = timer(registry, "orders.processing.duration", "time of one processing attempt", tags);
        endToEnd = timer(registry, "orders.end.to.end", "time from intake to a final state (PROCESSED or FAILED)", tags);
        gauge(registry, "orders.outbox.ready", "outbox events ready to be claimed", tags, outboxReady, 1);
        gauge(registry, "orders.outbox.locked", "outbox events held by a worker or relay", tags, outboxLocked, 1);
        gauge(registry, "orders.outbox.oldest.age.seconds", "age of the oldest outbox event not yet done", tags,
                outboxOldestAgeMs, 1000);
        gauge(registry, "orders.dlq.size", "entries in the business dead-letter queue", tags, dlqSize, 1);
    }

    public void accepted() {
        accepted.increment();
    }

    public void reprocessed() {
        reprocessed.increment();
    }

    public void reprocessed(int orders) {
        reprocessed.increment(orders);
    }

    public void processed(double endToEndSeconds) {
        processed.increment();
        endToEnd.record(Duration.ofNanos((long) (endToEndSeconds * 1e9)));
    }

    public void retried() {
        retried.increment();
    }

    public void deadLettered(double endToEndSeconds) {
        deadLettered.increment();
        endToEnd.record(Duration.ofNanos((long) (endToEndSeconds * 1e9)));
    }

    /** Orders stale-lock recovery dead-lettered (a lease expired on the last attempt); no end-to-end time. */
    public void deadLetteredByRecovery(int orders) {
        deadLettered.increment(orders);
    }

    public void relayed(int sent, int refused) {
        relaySent.increment(sent);
        relayRefused.increment(refused);
    }

    public void sqsReceived() {
        sqsReceived.increment();
    }

    public void sqsDeleted(int messages) {
        sqsDeleted.increment(messages);
    }

    public void sqsDelayed(int messages) {
        sqsDelayed.increment(messages);
    }

    public void processingTook(long nanos) {
        processing.record(Duration.ofNanos(nanos));
    }

    /** Sampled values of the backlog gauges (see {@link BacklogSampler}). */
    public void backlog(long ready, long locked, long oldestAgeMs, long dlq) {
        outboxReady.set(ready);
        outboxLocked.set(locked);
        outboxOldestAgeMs.set(oldestAgeMs);
        dlqSize.set(dlq);
    }

    private static Counter counter(MeterRegistry registry, String name, String help, Tags tags) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }

    private static Timer timer(MeterRegistry registry, String name, String help, Tags tags) {
        return Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String help, Tags tags, AtomicLong value, double divisor) {
        Gauge.builder(name, value, v -> v.get() / divisor).description(help).tags(tags).register(registry);
    }
}
