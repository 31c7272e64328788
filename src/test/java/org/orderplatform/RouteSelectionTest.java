package org.orderplatform;

import org.apache.camel.CamelConfiguration;
import org.junit.jupiter.api.Test;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.RouteSelection.Transport;
import org.orderplatform.api.ApiConfiguration;
import org.orderplatform.api.HttpServerConfiguration;
import org.orderplatform.infra.DatabaseConfiguration;
import org.orderplatform.observability.ObservabilityConfiguration;
import org.orderplatform.transport.inprocess.InprocessConfiguration;
import org.orderplatform.transport.outbox.OutboxConfiguration;
import org.orderplatform.transport.sqs.SqsConfiguration;
import org.orderplatform.worker.WorkerConfiguration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A transport is one route folder plus one configuration; the concerns come first, in the order that matters. */
class RouteSelectionTest {

    @Test
    void each_transport_brings_its_configuration_after_the_concerns_in_order() {
        assertThat(classes(Transport.OUTBOX)).containsExactly(HttpServerConfiguration.class,
                DatabaseConfiguration.class, ObservabilityConfiguration.class, ApiConfiguration.class,
                WorkerConfiguration.class, OutboxConfiguration.class);
        assertThat(classes(Transport.SQS)).last().isEqualTo(SqsConfiguration.class);
        assertThat(classes(Transport.INPROCESS)).last().isEqualTo(InprocessConfiguration.class);
    }

    @Test
    void each_configuration_lives_in_the_package_named_after_its_transport() {
        for (Transport transport : Transport.values()) {
            assertThat(classes(transport).get(5).getPackageName())
                    .isEqualTo("org.orderplatform.transport." + transport.key());
            assertThat(RouteSelection.routeFiles(transport.key() + "/api")).isNotEmpty();
        }
    }

    @Test
    void every_call_makes_new_instances() {
        assertThat(RouteSelection.configurations(Role.ALL, Transport.SQS).get(1))
                .isNotSameAs(RouteSelection.configurations(Role.ALL, Transport.SQS).get(1));
    }

    @Test
    void the_role_read_once_picks_the_folders() {
        assertThat(RouteSelection.includePattern(Role.WORKER, Transport.SQS)).contains("routes/sqs/worker/", "routes/worker/")
                .doesNotContain("routes/api/", "routes/sqs/api/");
        assertThat(RouteSelection.includePattern(Role.API, Transport.OUTBOX)).contains("routes/outbox/api/", "routes/api/")
                .doesNotContain("routes/worker/", "routes/outbox/worker/");
        assertThat(RouteSelection.includePattern(Role.ALL, Transport.INPROCESS)).contains("routes/inprocess/api/",
                "routes/inprocess/worker/", "routes/common/");
        assertThatThrownBy(() -> RouteSelection.includePattern(Role.API, Transport.INPROCESS))
                .hasMessageContaining("orders.transport=inprocess needs orders.role=all");
    }

    private static List<Class<?>> classes(Transport transport) {
        return RouteSelection.configurations(Role.ALL, transport).stream().<Class<?>>map(CamelConfiguration::getClass).toList();
    }
}
