package org.orderplatform.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule between the driver's socket timeout and the server's statement timeout, without Camel. */
class DatabaseTimeoutsRuleTest {

    @Test
    void without_a_socket_timeout_any_statement_timeout_goes() {
        assertThat(new DatabaseTimeouts(10, 10, 0, 0).driverProperties())
                .containsEntry("connectTimeout", "10").containsEntry("loginTimeout", "10")
                .containsEntry("socketTimeout", "0");
        new DatabaseTimeouts(10, 10, 0, 60_000);
    }

    @Test
    void a_socket_timeout_needs_a_statement_timeout_below_it() {
        assertThat(new DatabaseTimeouts(10, 10, 7, 6_999).driverProperties()).containsEntry("socketTimeout", "7");
        assertThatThrownBy(() -> new DatabaseTimeouts(10, 10, 7, 7_000))
                .hasMessageContaining("orders.db.statement-timeout-ms (7000) must be set and below "
                        + "orders.db.socket-timeout-seconds (7 s)");
        assertThatThrownBy(() -> new DatabaseTimeouts(10, 10, 7, 0))
                .hasMessageContaining("orders.db.statement-timeout-ms (0) must be set");
    }
}
