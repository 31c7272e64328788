package org.orderplatform.console;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.DeadLetters;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bulk reprocess hands every new event to the transport, as a single reprocess does: on {@code inprocess}
 * nothing polls the outbox (recovery re-queues everything at its first run, which the test lets pass, then only after the lock
 * timeout, here 10 minutes), so the orders
 * reach PROCESSED within seconds only if direct:order-accepted was called once per event.
 */
class BulkReprocessWakeUpTest {

    @Test
    void every_reprocessed_order_is_handed_to_the_inprocess_transport() {
        Db db = new Db(TestDatabase.newDatabase("bulk_wakeup"));
        List<String> dead = DeadLetters.create(db, 3, "wake");
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.transport", "inprocess");
        p.put("orders.outbox.lock-timeout-seconds", "600");
        p.put("orders.outbox.recovery-interval-ms", "600000");
        try (Platform platform = Platform.start(p)) {
            // the recovery's first run (a second after the start) re-queues every pending order: let it pass,
            // so that it cannot be what delivers the reprocessed orders
            NotifyBuilder recovered = new NotifyBuilder(platform.context()).fromRoute("inprocess-recovery").whenDone(1)
                    .create();
            assertThat(recovered.matches(20, TimeUnit.SECONDS)).as("the recovery's first run").isTrue();
            Http http = new Http(platform.baseUrl());
            Http.Response r = http.post("/dlq/reprocess", "application/json",
                    "{\"orderIds\":[\"" + dead.get(0) + "\",\"" + dead.get(1) + "\",\"" + dead.get(2) + "\"]}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("reprocessed").asInt()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(15)).until(() -> dead.stream().allMatch(id -> {
                JsonNode order = http.get("/orders/" + id).json();
                return "PROCESSED".equals(order.get("status").asText());
            }));
        }
    }
}
