package org.orderplatform.console;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk reprocess hands every new event to the transport, as a single reprocess does: on {@code inprocess}
 * nothing polls the outbox (recovery re-queues everything at its first run, which the test lets pass, then only after the lock
 * timeout, here 10 minutes), so the orders
 * reach PROCESSED within seconds only if direct:order-accepted was called once per event.
 */
class BulkReprocessWakeUpTest extends PlatformTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.transport", "inprocess");
        p.put("orders.outbox.lock-timeout-seconds", "600");
        p.put("orders.outbox.recovery-interval-ms", "600000");
        p.put("orders.retry.max-attempts", "1");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void every_reprocessed_order_is_handed_to_the_inprocess_transport() throws Exception {
        // the recovery's first run (a second after the start) re-queues every pending order: let it pass,
        // so that it cannot be what delivers the reprocessed orders
        NotifyBuilder recovered = new NotifyBuilder(context).fromRoute("inprocess-recovery").whenDone(1).create();
        List<String> dead = deadLetters(3, "wake");
        awaitRoute(recovered, Duration.ofSeconds(20));
        // the worker route starts, attempts and completes each order (inprocess-worker.camel.yaml)
        NotifyBuilder completed = new NotifyBuilder(context).fromRoute("inprocess-worker").whenDone(3).create();
        Http http = http();
        Http.Response r = http.post("/dlq/reprocess", "application/json",
                "{\"orderIds\":[\"" + dead.get(0) + "\",\"" + dead.get(1) + "\",\"" + dead.get(2) + "\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("reprocessed").asInt()).isEqualTo(3);
        awaitRoute(completed, Duration.ofSeconds(15));
        assertThat(dead).allSatisfy(id ->
                assertThat(http.get("/orders/" + id).json().get("status").asText()).as(id).isEqualTo("PROCESSED"));
    }
}
