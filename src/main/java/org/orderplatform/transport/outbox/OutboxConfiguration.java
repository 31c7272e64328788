package org.orderplatform.transport.outbox;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.infra.DatabaseTimeouts;
import org.orderplatform.infra.Settings;

import java.sql.DriverManager;
import java.util.Properties;

/**
 * The outbox transport (routes/outbox/): intake writes the event in the order's transaction, the worker drains
 * it. With orders.outbox.notify, intake NOTIFYs after its commit and a worker LISTENs on a connection of its own
 * and wakes its drain.
 */
public final class OutboxConfiguration implements CamelConfiguration {
    private final Role role;

    public OutboxConfiguration(Role role) {
        this.role = role;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        HikariDataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", HikariDataSource.class);
        context.getRegistry().bind("outboxNotifier", new OutboxNotifier(dataSource));
        if (role.works() && settings.flag("orders.outbox.notify")) {
            ProducerTemplate wakeUp = context.createProducerTemplate();
            Properties listener = new Properties();
            listener.setProperty("user", dataSource.getUsername());
            if (dataSource.getPassword() != null) {
                listener.setProperty("password", dataSource.getPassword());
            }
            // named apart from the pool's connections in pg_stat_activity
            listener.setProperty("ApplicationName", "order-platform-listener");
            listener.putAll(DatabaseTimeouts.of(settings).driverProperties());
            context.addService(new OutboxListener(
                    () -> DriverManager.getConnection(dataSource.getJdbcUrl(), listener),
                    () -> wakeUp.sendBody("direct:outbox-notified", null),
                    settings.longValue("orders.poll.max-backoff-ms", 100)), true, true);
        }
    }
}
