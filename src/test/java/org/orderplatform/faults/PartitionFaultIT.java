package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 8: a network partition, not a refusal. A {@link BlackholeProxy} between the service and
 * PostgreSQL (or SQS) stops carrying bytes for 30 s while every connection stays open; the connections
 * open when it begins never carry another byte (as after a failover), so a thread that waits on one without
 * a timeout waits for ever. The intake answers 503 within a bounded time (the driver's socket timeout)
 * instead of holding its client, the worker resumes within seconds of the partition healing, and no
 * accepted order is lost or completed twice.
 */
class PartitionFaultIT extends FaultTestSupport {
    static final Duration PARTITION = Duration.ofSeconds(30);
    /** orders.db.socket-timeout-seconds (10) plus orders.db.connection-timeout-ms (3) plus scheduling slack. */
    static final long INTAKE_BOUND_MS = 14_000;
    /** How soon after the partition heals the worker completes orders again. */
    static final Duration RESUME_BOUND = Duration.ofSeconds(20);

    @Test
    void database_partition_answers_503_in_bounded_time_and_loses_nothing() {
        database(600, 400);
    }

    @Tag("slow")
    @Test
    void full_size_database_partition_answers_503_in_bounded_time_and_loses_nothing() {
        database(5_000, 2_000);
    }

    /** Paced (the api never waits on SQS: unpaced, it accepts some 30,000 orders during the partition). */
    @Test
    void sqs_partition_keeps_accepting_and_loses_nothing() {
        sqs(200, 200, Duration.ofMillis(250));
    }

    @Tag("slow")
    @Test
    void full_size_sqs_partition_keeps_accepting_and_loses_nothing() {
        sqs(5_000, 2_000, Duration.ofMillis(20));
    }

    /** PostgreSQL behind the proxy for the api and the worker (outbox transport, the default timeouts). */
    private void database(int before, int after) {
        String test = "partition-db-" + before;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        BlackholeProxy proxy = own(new BlackholeProxy("127.0.0.1", pg.port()));
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> api = AppProcess.defaults(proxied, "api", "outbox");
        Map<String, String> worker = AppProcess.defaults(proxied, "worker", "outbox");
        AppProcess apiProcess = startApiAndWorker(test, api, worker)[0];

        OrderLoad load = loadWithAccepted(apiProcess, before, after, Duration.ZERO);
        Set<String> acceptedBefore = new HashSet<>(load.accepted());
        long backlog = db.count("SELECT count(*) FROM orders WHERE status IN ('PENDING', 'PROCESSING')");

        Partition p = partition(db, proxy, load, after, () -> 0);
        long from = p.from();
        long to = p.to();
        long resumeMs = p.resumeMs();
        boolean drained = p.drained();

        List<OrderLoad.Outcome> outcomes = load.outcomes();
        // every request in flight at some moment of the partition
        List<OrderLoad.Outcome> during = outcomes.stream().filter(o -> o.receivedMs() >= from && o.sentMs() < to).toList();
        long unavailable = during.stream().filter(o -> o.status() == 503).count();
        long slowest = during.stream().mapToLong(o -> o.receivedMs() - o.sentMs()).max().orElse(0);
        long acceptingAgainMs = outcomes.stream().filter(o -> o.status() == 202 && o.sentMs() >= to)
                .mapToLong(o -> o.receivedMs() - to).min().orElse(-1);
        List<OrderLoad.Outcome> improper = outcomes.stream().filter(o -> o.status() != 202
                && !(o.status() == 503 && o.jsonError() && DatabaseOutageFaultIT.clean(o.body()))).toList();
        Figures f = Figures.collect(db, load.accepted());
        Figures fBefore = Figures.collect(db, acceptedBefore);
        f.report("partition-db/outbox",
                "4 clients posting without pause; " + acceptedBefore.size() + " accepted before the partition, "
                        + backlog + " of them not yet processed when it began; processing 20 ms",
                "TCP proxy between api/worker and PostgreSQL blackholed for " + PARTITION.toSeconds()
                        + " s, connections left open (those open at its start silent for good)",
                "during partition: " + during.size() + " requests, " + unavailable + " answered 503, slowest "
                        + slowest + " ms, improper " + improper.size() + " | api accepting again " + acceptingAgainMs
                        + " ms after the heal | worker completing again " + resumeMs + " ms after the heal"
                        + " | connections silenced " + proxy.silencedConnections() + ", still open at the end "
                        + proxy.silentOpen() + " | lost-of-accepted-before=" + fBefore.lost()
                        + " | drained=" + drained + " http=" + load.statusCounts());
        improper.stream().limit(5).forEach(o -> System.out.println("  improper: " + o));

        assertThat(unavailable).as("the API noticed the partition").isPositive();
        assertThat(improper).as("every answer is 202, or 503 with a JSON error; none held past the client's timeout")
                .isEmpty();
        assertThat(slowest).as("worst answer time during the partition (ms)").isLessThanOrEqualTo(INTAKE_BOUND_MS);
        assertThat(resumeMs).as("the worker completes orders again after the heal (ms)")
                .isBetween(0L, RESUME_BOUND.toMillis());
        assertThat(acceptingAgainMs).as("the API accepts again after the heal (ms)").isBetween(0L, RESUME_BOUND.toMillis());
        assertThat(drained).isTrue();
        assertThat(fBefore.lost()).as("orders accepted before the partition lost").isZero();
        assertThat(f.lost()).as("accepted orders lost").isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(f.accepted());
    }

    /**
     * SQS (ElasticMQ) behind the proxy for the api's relay and the worker's consumers. The fault tests long-poll
     * for 1 s, so the SQS client's socket and attempt timeouts can be 5 s here (the defaults, 25 s, fit a
     * 20 s long poll).
     */
    private void sqs(int before, int after, Duration pace) {
        String test = "partition-sqs-" + before;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        FaultSqs sqs = own(new FaultSqs());
        sqs.start();
        BlackholeProxy proxy = own(new BlackholeProxy("127.0.0.1", sqs.port()));
        String endpoint = "http://127.0.0.1:" + proxy.port();
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", "sqs");
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", "sqs");
        for (Map<String, String> p : List.of(api, worker)) {
            p.put("orders.sqs.endpoint", endpoint);
            p.put("orders.sqs.socket-timeout-ms", "5000");
            p.put("orders.sqs.api-call-attempt-timeout-ms", "5000");
            p.put("orders.sqs.api-call-timeout-ms", "10000");
        }
        worker.put("orders.sqs.concurrent-consumers", "8");
        AppProcess apiProcess = startApiAndWorker(test, api, worker)[0];

        OrderLoad load = loadWithAccepted(apiProcess, before, after, pace);
        Set<String> acceptedBefore = new HashSet<>(load.accepted());

        Partition p = partition(db, proxy, load, after,
                () -> db.count("SELECT count(*) FROM outbox WHERE status <> 'DONE'"));
        long from = p.from();
        long to = p.to();
        long waitingInOutbox = p.atItsEnd();
        long resumeMs = p.resumeMs();
        boolean drained = p.drained();
        boolean relayed = SqsOutageFaultIT.awaitOutboxRelayed(db);

        List<OrderLoad.Outcome> during = load.outcomes().stream().filter(o -> o.receivedMs() >= from && o.sentMs() < to).toList();
        long slowest = during.stream().mapToLong(o -> o.receivedMs() - o.sentMs()).max().orElse(0);
        long redriven = db.count("SELECT count(*) FROM outbox WHERE event_type = 'OrderRedriven'");
        Figures f = Figures.collect(db, load.accepted());
        Figures fBefore = Figures.collect(db, acceptedBefore);
        f.report("partition-sqs/sqs",
                "4 clients, each pausing " + pace.toMillis() + " ms after an answer; " + acceptedBefore.size()
                        + " accepted before the partition; processing 20 ms",
                "TCP proxy between api/worker and ElasticMQ blackholed for " + PARTITION.toSeconds()
                        + " s, connections left open (those open at its start silent for good); SQS timeouts 5 s",
                "during partition: " + during.size() + " requests, slowest " + slowest + " ms; waiting in the outbox at "
                        + "its end=" + waitingInOutbox + " | worker completing again " + resumeMs + " ms after the heal"
                        + " | re-driven=" + redriven + " | connections silenced " + proxy.silencedConnections()
                        + ", still open at the end " + proxy.silentOpen() + " | lost-of-accepted-before=" + fBefore.lost()
                        + " | outbox relayed=" + relayed + " | drained=" + drained + " http=" + load.statusCounts());

        assertThat(load.statusCounts()).as("the API never waits on SQS: it keeps accepting").containsOnlyKeys(202);
        // well below the 5 s SQS timeouts: the api would take at least that if it waited on SQS
        assertThat(slowest).as("worst answer time during the partition (ms)").isLessThanOrEqualTo(4_000);
        assertThat(waitingInOutbox).as("the relay keeps undelivered events in the outbox").isPositive();
        assertThat(resumeMs).as("the worker completes orders again after the heal (ms)")
                .isBetween(0L, RESUME_BOUND.toMillis());
        assertThat(relayed).as("every outbox event relayed after the partition").isTrue();
        assertThat(drained).isTrue();
        assertThat(fBefore.lost()).as("orders accepted before the partition lost").isZero();
        assertThat(f.lost()).as("accepted orders lost").isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(f.accepted());
    }

    /** One partition as the load saw it (load clock), what was measured at its end, how the worker resumed. */
    private record Partition(long from, long to, long atItsEnd, long resumeMs, boolean drained) {
    }

    /**
     * Blackholes {@code proxy} for {@link #PARTITION} under {@code load}, measures {@code atItsEnd} before healing
     * it, then waits for the worker to complete orders again, for {@code after} more accepted orders, and for the
     * backlog to drain.
     */
    private Partition partition(Db db, BlackholeProxy proxy, OrderLoad load, int after, LongSupplier atItsEnd) {
        long from = load.nowMs();
        proxy.blackhole();
        DatabaseOutageFaultIT.sleep(PARTITION);
        long to = load.nowMs();
        long measured = atItsEnd.getAsLong();
        long processedAtHeal = db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'");
        proxy.heal();
        long resumeMs = awaitMs(RESUME_BOUND.plusSeconds(40),
                () -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") > processedAtHeal);
        int acceptedAtHeal = load.acceptedCount();
        await().atMost(Duration.ofMinutes(3)).until(() -> load.acceptedCount() >= acceptedAtHeal + after);
        load.stop();
        return new Partition(from, to, measured, resumeMs, awaitDrained(db, Duration.ofMinutes(3)));
    }

    /** Milliseconds until {@code condition} holds (polled every 100 ms), or -1 when {@code bound} passed first. */
    private static long awaitMs(Duration bound, java.util.concurrent.Callable<Boolean> condition) {
        long start = System.nanoTime();
        try {
            await().atMost(bound).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
            return (System.nanoTime() - start) / 1_000_000;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return -1;
        }
    }
}
