package org.orderplatform.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.PlatformTestSupport;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Success marking is route-level plumbing: a route that opts into poll-errors or message-errors (the real
 * routes/common/error-handling.camel.yaml) lists only its business steps, and an outage of what it calls is still
 * reported once when it starts (WARN) and once when it ends (INFO), because {@link PollSuccess} ends the episode
 * on the first run that did not fail, and only then.
 * <p>
 * The first two tests run routes of their own in a bare context with the real route configurations; the last one
 * asks the application, booted with Camel's test support (its context is started by that test only).
 */
class PollSuccessTest extends PlatformTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.transport", "outbox");
    }

    @Override
    public boolean isUseAdviceWith() {
        // started by the one test that asks the application
        return true;
    }

    @Test
    void a_polling_route_reports_an_outage_once_and_its_end_once_without_a_success_step() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LogCapture log = new LogCapture(); CamelContext bare = bareContext()) {
            bare.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:probe?period=10").routeId("probe").routeConfigurationId("poll-errors")
                            .process(e -> failWhileDown(calls.incrementAndGet() <= 3));
                }
            });
            bare.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.mentioning("polling again").isEmpty());
            Thread.sleep(200); // later successful runs must not report anything
            assertThat(warnings(log)).as("one WARN when the outage starts").hasSize(1);
            assertThat(log.mentioning("polling again")).as("one INFO when it ends").singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("probe: polling again after 3 failed attempts"));
        }
    }

    @Test
    void a_message_route_ends_the_episode_on_its_first_message_handled_without_failure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LogCapture log = new LogCapture(); CamelContext bare = bareContext()) {
            bare.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:message").routeId("message").routeConfigurationId("message-errors")
                            .process(e -> failWhileDown(calls.incrementAndGet() <= 2))
                            .process(e -> {
                                if ("poison".equals(e.getMessage().getBody())) {
                                    throw new IllegalArgumentException("not an order event");
                                }
                            });
                }
            });
            bare.start();
            ProducerTemplate producer = bare.createProducerTemplate();
            producer.sendBody("direct:message", "ok"); // database down: handled by message-errors
            producer.sendBody("direct:message", "ok");
            assertThat(log.mentioning("polling again")).isEmpty();
            // a poison message is the consumer's business (not handled): it fails, and says nothing about recovery
            assertThatThrownBy(() -> producer.sendBody("direct:message", "poison")).hasRootCauseInstanceOf(IllegalArgumentException.class);
            assertThat(log.mentioning("polling again")).as("a failed exchange is no success").isEmpty();
            producer.sendBody("direct:message", "ok");
            producer.sendBody("direct:message", "ok");
            assertThat(warnings(log)).as("one WARN when the outage starts").hasSize(1);
            assertThat(log.mentioning("polling again")).as("one INFO when it ends").singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("message: polling again after 2 failed attempts"));
        }
    }

    @Test
    void the_application_gives_the_policy_to_exactly_the_routes_of_poll_errors_and_message_errors() {
        context.start();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, Boolean> expected = new TreeMap<>();
        Map<String, Boolean> actual = new TreeMap<>();
        for (Route route : context.getRoutes()) {
            String configuration = model.getRouteDefinition(route.getRouteId()).getRouteConfigurationId();
            expected.put(route.getRouteId(), configuration != null && PollSuccess.CONFIGURATIONS.contains(configuration));
            actual.put(route.getRouteId(), route.getRoutePolicyList().stream()
                    .anyMatch(policy -> policy.getClass().getEnclosingClass() == PollSuccess.class));
        }
        assertThat(expected).as("routes of poll-errors or message-errors").containsValue(true)
                .containsEntry("stale-lock-recovery", true).containsEntry("outbox-drain", true);
        assertThat(actual).as("routes with the PollSuccess policy").isEqualTo(expected);
    }

    /** A context with the real error-handling route configurations, pollFailures and its route policy. */
    private static CamelContext bareContext() throws Exception {
        CamelContext context = new DefaultCamelContext();
        PollFailures pollFailures = new PollFailures(60_000, 20);
        context.getRegistry().bind("pollFailures", pollFailures);
        context.addRoutePolicyFactory(new PollSuccess(pollFailures));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                "classpath:routes/common/error-handling.camel.yaml"));
        return context;
    }

    private static void failWhileDown(boolean down) throws SQLException {
        if (down) {
            throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        }
    }

    private static List<ILoggingEvent> warnings(LogCapture log) {
        return log.events().stream().filter(e -> e.getLoggerName().equals(PollFailures.class.getName())
                && e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }
}
