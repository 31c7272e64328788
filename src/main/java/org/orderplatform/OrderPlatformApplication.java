package org.orderplatform;

import org.apache.camel.main.Main;
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
        OrderPlatformConfiguration.stopInfrastructure(main.getCamelContext());
        System.exit(exitCode);
    }

    /** The application as tests and {@code main} boot it: one configuration instance, routes chosen by role. */
    public static Main create() {
        Main main = new Main();
        // an instance, not a class: Camel 4.18 runs @BindToRegistry of registered classes twice
        main.configure().addConfiguration(new OrderPlatformConfiguration());
        main.addMainListener(new RouteSelection());
        return main;
    }
}
