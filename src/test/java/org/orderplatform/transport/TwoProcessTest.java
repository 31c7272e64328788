package org.orderplatform.transport;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An api process and a worker process, side by side against one database, cooperate on each transport. */
class TwoProcessTest {

    private static void cooperate(Db db, Map<String, String> api, Map<String, String> worker) {
        try (Platform apiProcess = Platform.start(api); Platform workerProcess = Platform.start(worker)) {
            Http http = new Http(apiProcess.baseUrl());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(http.createOrder());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'") == ids.size());
            assertThat(new Http(workerProcess.baseUrl()).post("/orders", "application/json", Http.VALID_ORDER).status())
                    .as("the worker serves no order endpoints").isEqualTo(404);
            assertThat(new Http(workerProcess.baseUrl()).get("/openapi.json").status())
                    .as("nor an API document").isEqualTo(404);
        }
        assertThat(db.count("SELECT count(DISTINCT worker_id) FROM order_transitions WHERE to_status = 'PROCESSED'")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM order_transitions WHERE to_status = 'PROCESSED' AND worker_id LIKE 'the-worker%'"))
                .isEqualTo(50);
    }

    @Test
    void api_and_worker_cooperate_over_the_outbox() {
        Db db = new Db(TestDatabase.newDatabase("two_outbox"));
        Map<String, String> api = Platform.defaults(db.url());
        api.put("orders.role", "api");
        Map<String, String> worker = Platform.defaults(db.url());
        worker.put("orders.role", "worker");
        worker.put("orders.worker.id", "the-worker-outbox");
        cooperate(db, api, worker);
    }

    /**
     * The worker's poll is set to ten minutes: it processes orders the api accepts after it started only
     * because the api's NOTIFY wakes it (orders.outbox.notify).
     */
    @Test
    void a_notification_wakes_a_worker_in_another_process_without_waiting_for_its_poll() {
        Db db = new Db(TestDatabase.newDatabase("two_notify"));
        Map<String, String> api = Platform.defaults(db.url());
        api.put("orders.role", "api");
        Map<String, String> worker = Platform.defaults(db.url());
        worker.put("orders.role", "worker");
        worker.put("orders.outbox.poll-interval-ms", "600000");
        try (Platform apiProcess = Platform.start(api); Platform workerProcess = Platform.start(worker)) {
            Http http = new Http(apiProcess.baseUrl());
            for (int round = 0; round < 3; round++) {
                // one order at a time: each must be woken on its own, not swept up by an earlier drain
                String id = http.createOrder();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED' AND id = '" + id + "'") == 1);
            }
        }
    }

    @Test
    void api_and_worker_cooperate_over_sqs() {
        Db db = new Db(TestDatabase.newDatabase("two_sqs"));
        int sqsPort = Platform.freePort();
        Map<String, String> api = Platform.defaults(db.url());
        api.put("orders.role", "api");
        api.put("orders.transport", "sqs");
        api.put("orders.sqs.embedded-port", String.valueOf(sqsPort));
        api.put("orders.sqs.relay-interval-ms", "20");
        Map<String, String> worker = Platform.defaults(db.url());
        worker.put("orders.role", "worker");
        worker.put("orders.transport", "sqs");
        worker.put("orders.worker.id", "the-worker-sqs");
        worker.put("orders.sqs.endpoint", "http://127.0.0.1:" + sqsPort);
        worker.put("orders.sqs.wait-time-seconds", "1");
        cooperate(db, api, worker);
    }
}
