package org.orderplatform.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * orders.embedded.enabled=false, as on every AWS container: a missing database or SQS endpoint must fail or
 * mean AWS, never quietly start a PostgreSQL or an ElasticMQ inside the task (whose orders die with it).
 */
class EmbeddedOffTest {

    @Test
    void an_empty_database_url_fails_the_start_and_nothing_embedded_is_started(@TempDir Path tmp) {
        Path dataDir = tmp.resolve("postgres");
        int dbPort = Platform.freePort();
        int sqsPort = Platform.freePort();
        Map<String, String> p = Platform.defaults("");
        p.put("orders.embedded.enabled", "false");
        p.put("orders.transport", "sqs");
        p.put("orders.role", "api");
        p.put("orders.db.embedded.data-dir", dataDir.toString());
        p.put("orders.db.embedded.port", String.valueOf(dbPort));
        p.put("orders.sqs.embedded-port", String.valueOf(sqsPort));

        assertThatThrownBy(() -> Platform.start(p).close())
                .hasMessageContaining("orders.db.url")
                .hasMessageContaining("orders.embedded.enabled=false");
        assertThat(dataDir).as("no embedded PostgreSQL data folder").doesNotExist();
        assertThat(free(dbPort)).as("nothing listens on the embedded PostgreSQL port").isTrue();
        assertThat(free(sqsPort)).as("nothing listens on the embedded SQS port").isTrue();
    }

    /**
     * Before orders.embedded.enabled, a worker without orders.sqs.endpoint failed at once and an api started
     * ElasticMQ. Now both call AWS's own endpoint, which this machine cannot reach: the start fails on that
     * call (no network, or AWS refusing the dummy key), and no ElasticMQ was started in its place.
     */
    @Test
    void an_empty_sqs_endpoint_means_aws_not_the_embedded_sqs() {
        for (String role : new String[]{"worker", "api"}) {
            int sqsPort = Platform.freePort();
            Map<String, String> p = Platform.defaults(TestDatabase.newDatabase("embedded_off_" + role));
            p.put("orders.embedded.enabled", "false");
            p.put("orders.transport", "sqs");
            p.put("orders.role", role);
            p.put("orders.sqs.region", "eu-west-1");
            p.put("orders.sqs.create-queues", "false");
            p.put("orders.sqs.access-key", "dummy-key-for-this-test");
            p.put("orders.sqs.secret-key", "dummy");
            p.put("orders.sqs.embedded-port", String.valueOf(sqsPort));

            assertThatThrownBy(() -> Platform.start(p).close())
                    .as(role)
                    .satisfies(e -> assertThat(rootMessages(e)).doesNotContain("needs orders.sqs.endpoint")
                            .containsAnyOf("sqs.eu-west-1.amazonaws.com", "security token", "(Service: Sqs"));
            assertThat(free(sqsPort)).as("%s: nothing listens on the embedded SQS port", role).isTrue();
        }
    }

    private static String rootMessages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
