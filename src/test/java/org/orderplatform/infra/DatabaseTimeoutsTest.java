package org.orderplatform.infra;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.support.WithProperties;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every wait on PostgreSQL is bounded (issue 13, partitions): the pool's connections carry the driver's
 * socket timeout and the server-side statement timeout the properties name. PartitionFaultIT shows what
 * they are for; this shows that they reach the connections, on the application booted with Camel's test support.
 * A failed start is a set-up error in the test support: that test keeps the hand-made harness and leaves the test
 * support's context unstarted.
 */
class DatabaseTimeoutsTest extends PlatformTestSupport {

    @Override
    public boolean isUseAdviceWith() {
        // started by the test that runs the application only
        return true;
    }

    @Test
    @WithProperties({"orders.role=api", "orders.db.socket-timeout-seconds=7", "orders.db.statement-timeout-ms=6500"})
    void the_pool_connections_carry_the_configured_timeouts() throws Exception {
        context.start();
        HikariDataSource pool = context.getRegistry().findSingleByType(HikariDataSource.class);
        assertThat(pool.getValidationTimeout()).isEqualTo(1000);
        assertThat(pool.getKeepaliveTime()).isEqualTo(30_000);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("6500ms");
            assertThat(c.getNetworkTimeout()).as("the driver's socket timeout, ms").isEqualTo(7000);
        }
    }

    @Test
    void a_statement_timeout_not_below_the_socket_timeout_fails_the_start() {
        Map<String, String> p = Platform.defaults(TestDatabase.newDatabase("timeouts_bad"));
        p.put("orders.db.socket-timeout-seconds", "5");
        p.put("orders.db.statement-timeout-ms", "5000");
        assertThatThrownBy(() -> Platform.start(p).close())
                .hasStackTraceContaining("orders.db.statement-timeout-ms (5000) must be set and below orders.db.socket-timeout-seconds");
    }
}
