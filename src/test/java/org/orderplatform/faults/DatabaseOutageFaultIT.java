package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 3: PostgreSQL stops for 10 s under load and starts again on the same data and port. While it is
 * down the API answers 503 with a JSON error (no hang, no stack trace); the worker backs off and logs the
 * outage once per interval, not once per order; afterwards everything drains and no accepted order is lost.
 */
class DatabaseOutageFaultIT extends FaultTestSupport {
    static final Duration OUTAGE = Duration.ofSeconds(10);

    /**
     * Sources in a worker process that may report the outage: the poller or consumer, stale-lock recovery,
     * and (outbox) the notification listener.
     */
    static final int WORKER_SOURCES = 3;


    @Test
    void database_outage_answers_503_and_loses_nothing() {
        outage("outbox", 500, 300);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox", "sqs"})
    void full_size_database_outage_answers_503_and_loses_nothing(String transport) {
        outage(transport, 5_000, 2_000);
    }

    private void outage(String transport, int before, int after) {
        String test = "database-outage-" + transport + "-" + before;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", transport);
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", transport);
        worker.put("orders.processing.delay-ms", "20");
        worker.put("orders.worker.id", test + "-worker");
        AppProcess.shareEmbeddedSqs(transport, api, worker);
        worker.put("orders.sqs.concurrent-consumers", "8");
        AppProcess apiProcess = own(AppProcess.start(test, "api", api));
        if (transport.equals("sqs")) {
            apiProcess.awaitReady();
        }
        AppProcess workerProcess = own(AppProcess.start(test, "worker", worker));
        AppProcess.awaitAll(apiProcess, workerProcess);

        OrderLoad load = own(OrderLoad.start(apiProcess.baseUrl(), 4, before + after + 100_000, Duration.ofMinutes(5)));
        await().atMost(Duration.ofMinutes(3)).until(() -> load.acceptedCount() >= before);
        Set<String> acceptedBefore = new HashSet<>(load.accepted());
        long backlogAtOutage = db.count("SELECT count(*) FROM orders WHERE status IN ('PENDING', 'PROCESSING')");
        int workerFrom = workerProcess.logLines().size();
        int apiFrom = apiProcess.logLines().size();
        long outageFrom = load.nowMs();

        pg.stop();
        sleep(OUTAGE);
        long outageTo = load.nowMs();
        int workerTo = workerProcess.logLines().size();
        int apiTo = apiProcess.logLines().size();
        pg.start();

        int acceptedAtRestart = load.acceptedCount();
        await().atMost(Duration.ofMinutes(3)).until(() -> load.acceptedCount() >= acceptedAtRestart + after);
        load.stop();
        boolean drained = awaitDrained(db, Duration.ofMinutes(3));

        List<OrderLoad.Outcome> outcomes = load.outcomes();
        List<OrderLoad.Outcome> during = outcomes.stream()
                .filter(o -> o.sentMs() >= outageFrom && o.sentMs() < outageTo).toList();
        long unavailable = during.stream().filter(o -> o.status() == 503).count();
        long slowest = during.stream().mapToLong(o -> o.receivedMs() - o.sentMs()).max().orElse(0);
        List<OrderLoad.Outcome> improper = outcomes.stream()
                .filter(o -> o.status() != 202 && !(o.status() == 503 && o.jsonError() && clean(o.body()))).toList();
        LogWindow workerLog = LogWindow.of(workerProcess.logLines(), workerFrom, workerTo);
        LogWindow apiLog = LogWindow.of(apiProcess.logLines(), apiFrom, apiTo);
        Figures f = Figures.collect(db, load.accepted());
        Figures fBefore = Figures.collect(db, acceptedBefore);
        f.report("database-outage/" + transport,
                "4 clients posting without pause; " + acceptedBefore.size() + " accepted before the outage, "
                        + backlogAtOutage + " of them not yet processed when it began; processing 20 ms",
                "PostgreSQL stopped for " + OUTAGE.toSeconds() + " s, then started on the same data",
                "during outage: " + during.size() + " requests, " + unavailable + " answered 503, slowest "
                        + slowest + " ms, improper answers " + improper.size()
                        + " | lost-of-accepted-before=" + fBefore.lost()
                        + " | worker log during outage: " + workerLog + " | api log: " + apiLog
                        + " | drained=" + drained + " http=" + load.statusCounts());
        workerLog.warnOrErrorEntries().stream().limit(30).forEach(l -> System.out.println("  worker: " + l));

        assertThat(unavailable).as("the API noticed the outage").isPositive();
        assertThat(improper).as("every answer is 202, or 503 with a JSON error and no internals; none hung")
                .isEmpty();
        assertThat(fBefore.lost()).as("orders accepted before the outage lost").isZero();
        assertThat(f.lost()).as("accepted orders lost").isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(f.accepted());
        assertThat(workerLog.stackTraceLines()).as("worker: no stack trace for an unavailable database (beyond the pool's per-connection notices)").isZero();
        assertThat(apiLog.stackTraceLines()).as("api: no stack trace for an unavailable database (beyond the pool's per-connection notices)").isZero();
        // once per interval, not per poll or per order: per polling source one report when it starts and one
        // per report interval, whatever the backlog; the pool's notices are one per pooled connection
        long reportsPerSource = 1 + (OUTAGE.toMillis() + AppProcess.REPORT_INTERVAL_MS - 1) / AppProcess.REPORT_INTERVAL_MS;
        assertThat(workerLog.warnOrErrorOutsidePool()).as("worker WARN/ERROR entries during a %d s outage, backlog %d",
                OUTAGE.toSeconds(), backlogAtOutage).isLessThanOrEqualTo((int) (WORKER_SOURCES * reportsPerSource));
        assertThat(workerLog.poolNotices()).as("pool notices: at most two per pooled connection").isLessThanOrEqualTo(2 * 16);
        assertThat(apiProcess.logLines().subList(apiFrom, apiTo)).as("api: refused requests reported once per interval, "
                        + "not once per request (%d answered 503)", unavailable)
                .filteredOn(l -> l.contains("Database unavailable:")).hasSizeLessThanOrEqualTo((int) reportsPerSource);
        if (transport.equals("outbox")) {
            assertThat(workerProcess.logLines()).as("the worker listens for notifications again after the outage")
                    .anyMatch(l -> l.contains("Listening for outbox notifications again"));
        }
    }

    /** No stack trace, exception class, SQL or driver detail in an error body. */
    static boolean clean(String body) {
        String b = body == null ? "" : body.toLowerCase();
        return !(b.contains("exception") || b.contains("\tat ") || b.contains("org.") || b.contains("sql")
                || b.contains("postgres") || b.contains("hikari") || b.contains("jdbc"));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // holding the fault, not waiting for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
