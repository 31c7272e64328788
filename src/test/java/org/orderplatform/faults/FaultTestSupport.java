package org.orderplatform.faults;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What every fault test shares: everything it starts is registered with {@link #own} and stopped after
 * the test, newest first, whatever happened (processes killed, servers stopped, load clients ended).
 */
abstract class FaultTestSupport {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    @AfterEach
    void stopEverything() {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }

    /**
     * The api and one worker of a load test, started in parallel and ready: the worker takes 20 ms per order and
     * is named {@code <test>-worker} (in the transitions it writes).
     */
    AppProcess[] startApiAndWorker(String test, Map<String, String> api, Map<String, String> worker) {
        worker.put("orders.processing.delay-ms", "20");
        worker.put("orders.worker.id", test + "-worker");
        AppProcess apiProcess = own(AppProcess.start(test, "api", api));
        AppProcess workerProcess = own(AppProcess.start(test, "worker", worker));
        AppProcess.awaitAll(apiProcess, workerProcess);
        return new AppProcess[] {apiProcess, workerProcess};
    }

    /** Four clients posting to {@code api} (each pausing {@code pace} after an answer), once {@code before} are accepted. */
    OrderLoad loadWithAccepted(AppProcess api, int before, int after, Duration pace) {
        OrderLoad load = own(OrderLoad.start(api.baseUrl(), 4, before + after + 100_000, Duration.ofMinutes(5), pace));
        await().atMost(Duration.ofMinutes(3)).until(() -> load.acceptedCount() >= before);
        return load;
    }

    /** Waits (bounded) until no order is PENDING or PROCESSING; false when the bound passed first. */
    static boolean awaitDrained(Db db, Duration bound) {
        try {
            await().atMost(bound).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> db.count("SELECT count(*) FROM orders WHERE status IN ('PENDING', 'PROCESSING')") == 0);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Waits until a quarter of {@code orders} is PROCESSED at a moment when {@code workerId} holds some: mid-batch. */
    static void awaitMidBatch(Db db, int orders, String workerId) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") >= orders / 4
                        && held(db, workerId) > 0);
    }

    /** Orders PROCESSING under {@code workerId}'s lease. */
    static long held(Db db, String workerId) {
        return db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSING' AND locked_by = ?", workerId);
    }

    static long count(Db db, String sql, Object... params) {
        return db.count(sql, params);
    }
}
