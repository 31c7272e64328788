package org.orderplatform.api;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.orderplatform.infra.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server concern, in every role (a worker serves /observe too): the ports are checked before anything
 * starts (platform-http only warns when its port is taken), and the guard hardens the server and answers 503
 * until the context has started. Composed first, so that a taken port fails before the database starts.
 */
public final class HttpServerConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        int httpPort = settings.integer("camel.server.port", 0, 65535);
        HttpServerGuard.checkPortFree(httpPort);
        if (settings.flag("camel.management.enabled")) {
            int managementPort = settings.integer("camel.management.port", 0, 65535);
            if (managementPort == httpPort) {
                LOG.warn("camel.management.port equals camel.server.port ({}): /observe/metrics and /observe/info "
                        + "are served on the API port, to anyone who can reach the API", httpPort);
            } else {
                HttpServerGuard.checkPortFree(managementPort);
            }
        }
        context.addStartupListener(new HttpServerGuard(httpPort, HttpLimits.of(settings),
                settings.longValue("orders.poll.report-interval-ms", 1000)));
    }
}
