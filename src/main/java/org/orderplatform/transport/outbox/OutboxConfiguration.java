package org.orderplatform.transport.outbox;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.infra.DatabaseTimeouts;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.infra.Settings;

import java.sql.DriverManager;
import java.util.Properties;

/**
 * The outbox transport (routes/outbox/): intake writes the event in the order's transaction, the worker drains
 * it. With orders.outbox.notify, intake NOTIFYs after its commit (OutboxNotifier: a flag per order, one thread
 * sending the NOTIFYs, coalesced) and a worker LISTENs on a connection of its own
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
        OutboxNotifier notifier = new OutboxNotifier(dataSource, settings.longValue("orders.outbox.notify-interval-ms", 0),
                context.getRegistry().lookupByNameAndType("pollFailures", PollFailures.class));
        context.getRegistry().bind("outboxNotifier", notifier);
        // the intake step (routes/outbox/api/order-accepted.camel.yaml): raises the notifier's flag, or nothing
        // when no NOTIFY is sent (orders.outbox.notify=false, or a worker, which accepts no orders)
        boolean notify = role.servesApi() && settings.flag("orders.outbox.notify");
        context.getRegistry().bind("signalOutboxWorkers", notify ? notifier : (Processor) exchange -> { });
        if (notify) {
            context.addService(notifier, true, true);
        }
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
