package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 2: three worker processes share one backlog. Every accepted order is completed exactly once, and
 * each of the three completed some of them.
 */
class SeveralWorkersFaultIT extends FaultTestSupport {

    @Test
    void three_workers_complete_each_order_exactly_once() {
        share("outbox", 1_500);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbox", "sqs"})
    void full_size_three_workers_complete_each_order_exactly_once(String transport) {
        share(transport, 20_000);
    }

    private void share(String transport, int orders) {
        String test = "three-workers-" + transport + "-" + orders;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", transport);
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", transport);
        worker.put("orders.processing.delay-ms", "5");
        AppProcess.shareEmbeddedSqs(transport, api, worker);
        AppProcess apiProcess = own(AppProcess.start(test, "api", api));
        if (transport.equals("sqs")) {
            apiProcess.awaitReady();
        }
        List<AppProcess> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            worker.put("orders.worker.id", test + "-worker-" + i);
            workers.add(own(AppProcess.start(test, "worker-" + i, worker)));
        }
        apiProcess.awaitReady();
        workers.forEach(AppProcess::awaitReady);

        OrderLoad load = own(OrderLoad.start(apiProcess.baseUrl(), 8, orders, Duration.ofMinutes(10)));
        load.awaitFinished(Duration.ofMinutes(11));
        boolean drained = awaitDrained(db, Duration.ofMinutes(orders >= 20_000 ? 10 : 3));

        Figures f = Figures.collect(db, load.accepted());
        f.report("three-workers/" + transport, orders + " orders from 8 clients, processing 5 ms, 3 worker processes",
                "none (contention: three processes claim from one backlog)",
                "drained=" + drained + " http=" + load.statusCounts());

        assertThat(load.statusCounts()).containsOnlyKeys(202);
        assertThat(f.accepted()).isEqualTo(orders);
        assertThat(f.completed()).as("every accepted order completed").isEqualTo(orders);
        assertThat(f.lost()).isZero();
        assertThat(f.completedTwice()).as("orders completed twice").isZero();
        assertThat(f.completionsByWorker().values().stream().mapToInt(Integer::intValue).sum())
                .as("one completion per order, all by the three workers").isEqualTo(orders);
        for (int i = 1; i <= 3; i++) {
            assertThat(f.completionsByWorker().getOrDefault(test + "-worker-" + i, 0))
                    .as("worker-" + i + " took part").isPositive();
        }
    }
}
