package org.orderplatform.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * sqs with the default embedded SQS: the ElasticMQ of the api process keeps its queue in memory, so a
 * {@code kill -9} of the api takes every relayed but unconsumed event with it. The outbox rows are already
 * DONE; the orders must still not be lost (the database, the source of truth, has to send them again).
 */
class ApiCrashFaultIT extends FaultTestSupport {
    @Tag("slow")
    @Test
    void api_with_embedded_sqs_killed_loses_no_queued_order() {
        String test = "api-crash-sqs-1000";
        int orders = 1_000;
        FaultPostgres pg = own(FaultPostgres.startFresh(test));
        Db db = new Db(pg.jdbcUrl());
        Map<String, String> api = AppProcess.defaults(pg.jdbcUrl(), "api", "sqs");
        Map<String, String> worker = AppProcess.defaults(pg.jdbcUrl(), "worker", "sqs");
        AppProcess.shareEmbeddedSqs("sqs", api, worker);
        worker.put("orders.worker.id", test + "-worker");
        // a slow worker, so that events pile up in the queue
        worker.put("orders.processing.delay-ms", "50");
        worker.put("orders.sqs.concurrent-consumers", "2");
        AppProcess first = own(AppProcess.start(test, "api-1", api)).awaitReady();
        own(AppProcess.start(test, "worker", worker)).awaitReady();

        OrderLoad load = own(OrderLoad.start(first.baseUrl(), 8, orders, Duration.ofMinutes(5)));
        load.awaitFinished(Duration.ofMinutes(5));
        await().atMost(Duration.ofMinutes(2)).until(() -> db.count("SELECT count(*) FROM outbox WHERE status <> 'DONE'") == 0);
        first.kill();
        long queuedAtKill = db.count("SELECT count(*) FROM orders WHERE status = 'PENDING'");

        own(AppProcess.start(test, "api-2", api)).awaitReady();
        boolean drained = awaitDrained(db, Duration.ofMinutes(4));
        long redriven = db.count("SELECT count(*) FROM outbox WHERE event_type = 'OrderRedriven'");

        Figures f = Figures.collect(db, load.accepted());
        f.report("api-crash/sqs (embedded SQS)", orders + " orders from 8 clients; worker: 2 consumers, processing 50 ms",
                "kill -9 of the api (and its in-memory ElasticMQ) with " + queuedAtKill
                        + " orders PENDING, all relayed; api restarted on the same ports",
                "re-driven from the database=" + redriven + " drained=" + drained + " http=" + load.statusCounts());

        assertThat(queuedAtKill).as("events were waiting in the queue when it died").isPositive();
        assertThat(f.accepted()).isEqualTo(orders);
        assertThat(f.lost()).as("accepted orders lost").isZero();
        assertThat(f.completedTwice()).isZero();
        assertThat(f.completed()).isEqualTo(orders);
    }
}
