package org.orderplatform;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.support.service.ServiceHelper;
import org.orderplatform.infra.EmbeddedDatabase;
import org.orderplatform.infra.EmbeddedSqs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the Order Platform: Camel Main with the routes that {@code orders.role} and {@code orders.transport} select. */
public final class OrderPlatformApplication {
    private static final Logger LOG = LoggerFactory.getLogger(OrderPlatformApplication.class);

    private OrderPlatformApplication() {
    }

    public static void main(String[] args) {
        Main main = create();
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Throwable e) {
            LOG.error("Order Platform failed to start: {}", e.getMessage(), e);
            exitCode = 1;
        }
        // embedded servers run non-daemon threads: stop them whatever happened, then leave
        stopInfrastructure(main.getCamelContext());
        System.exit(exitCode);
    }

    /**
     * The application as tests and {@code main} boot it: {@link RouteSelection} adds the routes and the
     * configurations (one per concern, one per transport) that orders.role and orders.transport select.
     */
    public static Main create() {
        Main main = new Main();
        main.addMainListener(new RouteSelection());
        return main;
    }

    /** Stops embedded servers when Camel could not start (their threads would keep the JVM alive). */
    static void stopInfrastructure(CamelContext context) {
        if (context == null) {
            return;
        }
        try {
            context.stop();
        } catch (Exception e) {
            LOG.warn("Error while stopping: {}", e.getMessage());
        }
        context.getRegistry().findByType(HikariDataSource.class).forEach(HikariDataSource::close);
        ServiceHelper.stopService(context.hasServices(EmbeddedSqs.class));
        ServiceHelper.stopService(context.hasServices(EmbeddedDatabase.class));
    }
}
