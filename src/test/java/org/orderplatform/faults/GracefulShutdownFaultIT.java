package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 5: SIGTERM to a worker process that holds orders mid-batch. Within a bounded time it exits, having
 * finished or released what it held (no order PROCESSING under its name, no outbox event LOCKED by it);
 * a new worker then drains everything, with no lease left to expire.
 */
class GracefulShutdownFaultIT extends FaultTestSupport {
    /** The bound on a graceful stop: Camel's shutdown timeout (20 s) plus JVM exit, with room for a busy machine. */
    static final Duration STOP_BOUND = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox"})
    void sigterm_finishes_or_releases_in_flight_work(String transport) {
        shutdown(transport, 1_000);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox", "sqs"})
    void full_size_sigterm_finishes_or_releases_in_flight_work(String transport) {
        shutdown(transport, 5_000);
    }

    private void shutdown(String transport, int orders) {
        String test = "graceful-shutdown-" + transport + "-" + orders;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", transport);
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", transport);
        worker.put("orders.processing.delay-ms", "50");
        worker.put("orders.worker.concurrency", "8");
        worker.put("orders.sqs.concurrent-consumers", "8");
        AppProcess.shareEmbeddedSqs(transport, api, worker);
        String first = test + "-worker-1";
        AppProcess apiProcess = own(AppProcess.start(test, "api", api)).awaitReady();
        worker.put("orders.worker.id", first);
        AppProcess firstWorker = own(AppProcess.start(test, "worker-1", worker)).awaitReady();

        OrderLoad load = own(OrderLoad.start(apiProcess.baseUrl(), 8, orders, Duration.ofMinutes(5)));
        awaitMidBatch(db, orders, first);
        long heldAtSignal = held(db, first);
        boolean exited = firstWorker.terminate(STOP_BOUND);
        long stillProcessing = held(db, first);
        long stillLocked = db.count("SELECT count(*) FROM outbox WHERE status = 'LOCKED' AND locked_by = ?", first);
        LogWindow shutdownLog = LogWindow.of(firstWorker.logLines(), 0, Integer.MAX_VALUE);

        worker.put("orders.worker.id", test + "-worker-2");
        own(AppProcess.start(test, "worker-2", worker)).awaitReady();
        load.awaitFinished(Duration.ofMinutes(5));
        boolean drained = awaitDrained(db, Duration.ofMinutes(3));
        long leasesRecovered = db.count("SELECT count(*) FROM order_transitions WHERE worker_id = 'stale-lock-recovery'");

        Figures f = Figures.collect(db, load.accepted());
        f.report("graceful-shutdown/" + transport, orders + " orders from 8 clients, processing 50 ms, 8 parallel",
                "SIGTERM to worker-1 holding " + heldAtSignal + " orders; worker-2 started after it exited",
                "exited=" + exited + (exited ? " exit-code=" + firstWorker.exitValue() : "")
                        + " left PROCESSING=" + stillProcessing + " left LOCKED=" + stillLocked
                        + " leases-recovered=" + leasesRecovered + " worker-1 log: " + shutdownLog
                        + " | drained=" + drained + " http=" + load.statusCounts());

        assertThat(exited).as("worker-1 exited within %s of SIGTERM", STOP_BOUND).isTrue();
        assertThat(stillProcessing).as("orders left PROCESSING under the stopped worker's name").isZero();
        assertThat(stillLocked).as("outbox events left LOCKED by the stopped worker").isZero();
        assertThat(leasesRecovered).as("nothing had to wait for its lease to expire").isZero();
        assertThat(load.statusCounts()).containsOnlyKeys(202);
        assertThat(f.accepted()).isEqualTo(orders);
        assertThat(f.lost()).isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(orders);
    }
}
