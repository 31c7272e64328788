package org.orderplatform.transport;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.support.WithProperties;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InprocessContractTest extends TransportContract {
    @Override
    protected Map<String, String> transport() {
        return Map.of("orders.transport", "inprocess");
    }

    @Test
    @WithProperties("orders.retry.max-attempts=3")
    void orders_a_crashed_run_left_processing_count_the_lost_attempt_at_start_up() {
        // the context of this test is built (schema migrated) but not started: an api of the outbox transport takes
        // two orders on the same database first
        String retried;
        String exhausted;
        Map<String, String> api = Platform.defaults(db.url());
        api.put("orders.transport", "outbox");
        api.put("orders.role", "api");
        try (Platform platform = Platform.start(api)) {
            Http http = new Http(platform.baseUrl());
            retried = http.createOrder();
            exhausted = http.createOrder();
        }
        // a previous run died holding both, one of them on its last attempt
        db.update("UPDATE orders SET status = 'PROCESSING', locked_by = 'dead-run', locked_at = now(), retry_count = 1 WHERE id = ?::uuid", retried);
        db.update("UPDATE orders SET status = 'PROCESSING', locked_by = 'dead-run', locked_at = now(), retry_count = 3 WHERE id = ?::uuid", exhausted);
        start();
        orders.awaitStatus(retried, "PROCESSED", Duration.ofSeconds(30));
        orders.awaitStatus(exhausted, "FAILED", Duration.ofSeconds(30));
        // issue 13 item 11: the dead-lettered order is counted like any other
        String metrics = new Http(managementUrl()).get("/observe/metrics").body();
        assertThat(java.util.regex.Pattern.compile("(?m)^orders_failed_total\\{[^}]*} 1\\.0$").matcher(metrics).find())
                .as("orders_failed_total counts the order start-up recovery dead-lettered:%n%s", metrics.lines()
                        .filter(l -> l.startsWith("orders_failed")).toList()).isTrue();
        context.stop();
        assertThat(db.count("SELECT retry_count FROM orders WHERE id = ?::uuid", retried)).isEqualTo(2);
        assertThat(orders.dlqEntries(exhausted)).isEqualTo(1);
        assertThat(orders.completions()).isEqualTo(1);
    }

    /** A start-up failure: the hand-made harness, which reports it, rather than the test support's set-up. */
    @Test
    void only_role_all_may_run_inprocess() {
        Map<String, String> p = Platform.defaults(new Db(TestDatabase.newDatabase("inprocess_roles")).url());
        p.put("orders.transport", "inprocess");
        p.put("orders.role", "worker");
        assertThatThrownBy(() -> Platform.start(p).close())
                .hasMessageContaining("orders.transport=inprocess needs orders.role=all");
    }
}
