package org.orderplatform.infra;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

import java.util.Arrays;
import java.util.Set;

/**
 * Success marking of the polling and message routes, at route level: every route that opts into the
 * {@code poll-errors} or {@code message-errors} route configuration (routes/common/error-handling.camel.yaml)
 * gets a route policy that, when an exchange is done without having failed, ends the failure episode of its
 * route in {@link PollFailures} (the one INFO "polling again" line). A run that failed is either unhandled
 * ({@link Exchange#isFailed()}) or handled by {@link PollFailures#failed}, which marks the exchange
 * ({@link PollFailures#FAILED}); neither ends the episode. So a route's step list holds only its business steps.
 * <p>
 * Added to the context as a factory (not bound in the registry, where Camel Main would add it a second time),
 * before the routes are created.
 */
public final class PollSuccess implements RoutePolicyFactory {
    /** The route configurations whose routes report to {@link PollFailures}. */
    static final Set<String> CONFIGURATIONS = Set.of("poll-errors", "message-errors");

    private final PollFailures pollFailures;

    public PollSuccess(PollFailures pollFailures) {
        this.pollFailures = pollFailures;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode node) {
        if (node instanceof RouteDefinition route && route.getRouteConfigurationId() != null
                && Arrays.stream(route.getRouteConfigurationId().split(",")).map(String::trim).anyMatch(CONFIGURATIONS::contains)) {
            return new MarkSucceeded();
        }
        return null;
    }

    private final class MarkSucceeded extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (!exchange.isFailed() && !exchange.getProperty(PollFailures.FAILED, false, Boolean.class)) {
                // the same key as PollFailures.failed: the route that created the exchange (a timer, a queue)
                pollFailures.recovered(exchange.getFromRouteId());
            }
        }
    }
}
