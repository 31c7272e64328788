package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 4 (sqs): the SQS server (ElasticMQ, hosted by the test JVM, used by the api and the worker
 * through orders.sqs.endpoint) stops for 10 s under load and starts again on the same port. The API keeps
 * accepting (it never talks to SQS), the relay keeps the events in the outbox while SQS is away and
 * delivers them when it is back; no accepted order is lost or completed twice. ElasticMQ keeps messages
 * in memory, so the ones queued when it stopped are gone when it is back (harsher than an SQS outage):
 * their orders must come back from the database (the relay's re-drive).
 */
class SqsOutageFaultIT extends FaultTestSupport {
    static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void sqs_outage_keeps_events_in_the_outbox_and_loses_nothing() {
        outage(500, 300);
    }

    @Tag("slow")
    @Test
    void full_size_sqs_outage_keeps_events_in_the_outbox_and_loses_nothing() {
        outage(5_000, 2_000);
    }

    private void outage(int before, int after) {
        String test = "sqs-outage-" + before;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        FaultSqs sqs = own(new FaultSqs());
        sqs.start();
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", "sqs");
        api.put("orders.sqs.endpoint", sqs.endpoint());
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", "sqs");
        worker.put("orders.sqs.endpoint", sqs.endpoint());
        worker.put("orders.sqs.concurrent-consumers", "8");
        AppProcess[] processes = startApiAndWorker(test, api, worker);
        AppProcess apiProcess = processes[0];
        AppProcess workerProcess = processes[1];

        OrderLoad load = loadWithAccepted(apiProcess, before, after, Duration.ZERO);
        Set<String> acceptedBefore = new HashSet<>(load.accepted());
        int workerFrom = workerProcess.logLines().size();
        int apiFrom = apiProcess.logLines().size();

        sqs.stop();
        DatabaseOutageFaultIT.sleep(OUTAGE);
        long waitingInOutbox = db.count("SELECT count(*) FROM outbox WHERE status <> 'DONE'");
        long acceptedDuringOutage = load.acceptedCount() - acceptedBefore.size();
        int workerTo = workerProcess.logLines().size();
        int apiTo = apiProcess.logLines().size();
        sqs.start();

        int acceptedAtRestart = load.acceptedCount();
        await().atMost(Duration.ofMinutes(3)).until(() -> load.acceptedCount() >= acceptedAtRestart + after);
        load.stop();
        boolean drained = awaitDrained(db, Duration.ofMinutes(3));
        boolean relayed = awaitOutboxRelayed(db);

        long redriven = db.count("SELECT count(*) FROM outbox WHERE event_type = 'OrderRedriven'");
        LogWindow workerLog = LogWindow.of(workerProcess.logLines(), workerFrom, workerTo);
        LogWindow apiLog = LogWindow.of(apiProcess.logLines(), apiFrom, apiTo);
        Figures f = Figures.collect(db, load.accepted());
        Figures fBefore = Figures.collect(db, acceptedBefore);
        f.report("sqs-outage/sqs",
                "4 clients posting without pause; " + acceptedBefore.size() + " accepted before the outage; processing 20 ms",
                "ElasticMQ stopped for " + OUTAGE.toSeconds() + " s, then started again on the same port (queues recreated)",
                "accepted during outage=" + acceptedDuringOutage + " waiting in the outbox at its end=" + waitingInOutbox
                        + " re-driven (their message died with ElasticMQ)=" + redriven
                        + " | lost-of-accepted-before=" + fBefore.lost() + " | outbox relayed=" + relayed
                        + " | worker log during outage: " + workerLog + " | api log: " + apiLog
                        + " | drained=" + drained + " http=" + load.statusCounts());

        assertThat(load.statusCounts()).as("the API never talks to SQS: it keeps accepting").containsOnlyKeys(202);
        assertThat(acceptedDuringOutage).isPositive();
        assertThat(waitingInOutbox).as("the relay keeps undelivered events in the outbox").isPositive();
        assertThat(relayed).as("every outbox event relayed after the outage").isTrue();
        assertThat(fBefore.lost()).as("orders accepted before the outage lost").isZero();
        assertThat(f.lost()).as("accepted orders lost").isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(f.accepted());
        // not once per poll of each of the 8 consumers or per event: the consumers share one backoff and
        // report once per interval (Camel's SQS consumer's own ERROR per failed receive is dropped by
        // SqsConsumerLogFilter; SqsOutageLogsTest holds the exact count).
        assertThat(workerLog.warnOrError()).as("worker WARN/ERROR entries during a %d s SQS outage", OUTAGE.toSeconds())
                .isLessThanOrEqualTo(3 * (int) OUTAGE.toSeconds());
        assertThat(apiLog.warnOrError()).as("api WARN/ERROR entries during a %d s SQS outage", OUTAGE.toSeconds())
                .isLessThanOrEqualTo(3 * (int) OUTAGE.toSeconds());
    }

    static boolean awaitOutboxRelayed(Db db) {
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> db.count("SELECT count(*) FROM outbox WHERE status <> 'DONE'") == 0);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
