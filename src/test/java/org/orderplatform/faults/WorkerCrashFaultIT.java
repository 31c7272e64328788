package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 1: a worker process is killed with {@code kill -9} in the middle of a batch while orders are in
 * flight (processing takes time, and some attempts fail so that retries and the DLQ are exercised), then a
 * new worker process is started. Every accepted order must end PROCESSED, or FAILED with a DLQ entry;
 * none may stay PENDING/PROCESSING; none may be completed twice.
 */
class WorkerCrashFaultIT extends FaultTestSupport {
    static final double FAILURE_PROBABILITY = 0.2;
    static final int DELAY_MS = 50;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox"})
    void worker_killed_mid_batch_loses_nothing_and_completes_nothing_twice(String transport) {
        crash(transport, 1_000);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox", "sqs"})
    void full_size_worker_killed_mid_batch_loses_nothing_and_completes_nothing_twice(String transport) {
        crash(transport, 5_000);
    }

    private void crash(String transport, int orders) {
        String test = "worker-crash-" + transport + "-" + orders;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());

        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", transport);
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", transport);
        worker.put("orders.processing.delay-ms", String.valueOf(DELAY_MS));
        worker.put("orders.processing.failure-probability", String.valueOf(FAILURE_PROBABILITY));
        worker.put("orders.worker.concurrency", "8");
        worker.put("orders.sqs.concurrent-consumers", "8");
        AppProcess.shareEmbeddedSqs(transport, api, worker);
        AppProcess apiProcess = own(AppProcess.start(test, "api", api)).awaitReady();
        worker.put("orders.worker.id", test + "-worker-1");
        AppProcess first = own(AppProcess.start(test, "worker-1", worker)).awaitReady();

        OrderLoad load = own(OrderLoad.start(apiProcess.baseUrl(), 8, orders, Duration.ofMinutes(5)));
        // kill it once a quarter is done, at a moment when it holds orders (mid-batch)
        awaitMidBatch(db, orders, test + "-worker-1");
        first.kill();
        long heldAtKill = held(db, test + "-worker-1");
        long processedAtKill = db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'");

        worker.put("orders.worker.id", test + "-worker-2");
        own(AppProcess.start(test, "worker-2", worker)).awaitReady();
        load.awaitFinished(Duration.ofMinutes(5));
        boolean drained = awaitDrained(db, Duration.ofMinutes(orders >= 5_000 ? 6 : 3));

        Figures f = Figures.collect(db, load.accepted());
        long leasesRecovered = db.count("SELECT count(*) FROM order_transitions WHERE worker_id = 'stale-lock-recovery'");
        f.report("worker-crash/" + transport,
                orders + " orders from 8 clients, processing " + DELAY_MS + " ms, 8 parallel",
                "kill -9 of worker-1 after " + processedAtKill + " PROCESSED, " + heldAtKill + " orders held in flight; "
                        + "worker-2 started; failure-probability " + FAILURE_PROBABILITY + ", 3 attempts",
                "leases-recovered=" + leasesRecovered + " drained=" + drained + " http=" + load.statusCounts());

        assertThat(heldAtKill).as("the kill hit a worker holding orders mid-batch").isPositive();
        assertThat(heldAtKill).as("a worker holds at most one batch (outbox: 100) or one receive per consumer (sqs: 8 x 10)")
                .isLessThanOrEqualTo(transport.equals("sqs") ? 80 : 100);
        assertThat(load.statusCounts()).as("the API is not affected by a worker crash").containsOnlyKeys(202);
        assertThat(f.accepted()).isEqualTo(orders);
        assertThat(f.lost()).as("accepted orders lost (not PROCESSED, not FAILED with a DLQ entry)").isZero();
        assertThat(f.completedTwice()).as("orders completed twice").isZero();
        assertThat(f.completed() + f.failedToDlq()).isEqualTo(orders);
        assertThat(f.completionsByWorker()).containsKey(test + "-worker-2");
        assertThat(leasesRecovered).as("only the orders the killed worker held lose their lease (a live worker's never expire)")
                .isLessThanOrEqualTo(heldAtKill);
    }
}
