package org.orderplatform.transport;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InprocessContractTest extends TransportContract {
    @Override
    protected Map<String, String> transport() {
        return Map.of("orders.transport", "inprocess");
    }

    @Test
    void orders_a_crashed_run_left_processing_count_the_lost_attempt_at_start_up() {
        Db db = new Db(TestDatabase.newDatabase("inprocess_orphans"));
        String retried;
        String exhausted;
        try (Platform api = Platform.start(config(db, "orders.transport", "outbox", "orders.role", "api"))) {
            Http http = new Http(api.baseUrl());
            retried = http.createOrder();
            exhausted = http.createOrder();
        }
        // a previous run died holding both, one of them on its last attempt
        db.update("UPDATE orders SET status = 'PROCESSING', locked_by = 'dead-run', locked_at = now(), retry_count = 1 WHERE id = ?::uuid", retried);
        db.update("UPDATE orders SET status = 'PROCESSING', locked_by = 'dead-run', locked_at = now(), retry_count = 3 WHERE id = ?::uuid", exhausted);
        try (Platform platform = Platform.start(config(db, "orders.retry.max-attempts", "3"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(db, retried).equals("PROCESSED"));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(db, exhausted).equals("FAILED"));
            // issue 13 item 11: the dead-lettered order is counted like any other
            String metrics = new Http(platform.managementUrl()).get("/observe/metrics").body();
            assertThat(java.util.regex.Pattern.compile("(?m)^orders_failed_total\\{[^}]*} 1\\.0$").matcher(metrics).find())
                    .as("orders_failed_total counts the order start-up recovery dead-lettered:%n%s", metrics.lines()
                            .filter(l -> l.startsWith("orders_failed")).toList()).isTrue();
        }
        assertThat(db.count("SELECT retry_count FROM orders WHERE id = ?::uuid", retried)).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id = ?::uuid", exhausted)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM order_transitions WHERE to_status = 'PROCESSED'")).isEqualTo(1);
    }

    @Test
    void only_role_all_may_run_inprocess() {
        Db db = new Db(TestDatabase.newDatabase("inprocess_roles"));
        assertThatThrownBy(() -> Platform.start(config(db, "orders.role", "worker")).close())
                .hasMessageContaining("orders.transport=inprocess needs orders.role=all");
    }
}
