package org.orderplatform.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack cannot run here (no Docker engine), so this checks what can be checked offline: the
 * services exist, start in a health-gated order, and every environment variable the service containers
 * set is one the application reads (upper-snake form of a key in application.properties).
 */
class DockerComposeTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            return new Yaml().load(reader);
        }
    }

    private static Set<String> propertyKeys() throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(reader);
        }
        return p.stringPropertyNames().stream().map(DockerComposeTest::normalise).collect(Collectors.toSet());
    }

    /** orders.sqs.queue-name and ORDERS_SQS_QUEUE_NAME both become orderssqsqueuename. */
    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[._\\-\\[\\]]", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_api_and_worker_containers_set_only_properties_the_application_reads() throws IOException {
        Map<String, Object> compose = compose();
        Set<String> keys = propertyKeys();
        for (String name : List.of("api", "worker")) {
            Map<String, Object> env = (Map<String, Object>) service(compose, name).get("environment");
            assertThat(env).isNotEmpty();
            for (String variable : env.keySet()) {
                assertThat(keys).as("%s sets %s", name, variable).contains(normalise(variable));
            }
            assertThat(env).containsEntry("ORDERS_TRANSPORT", "sqs").containsEntry("ORDERS_SQS_CREATE_QUEUES", "false");
            assertThat(env.get("ORDERS_SQS_ENDPOINT").toString()).isEqualTo("http://localstack:4566");
            assertThat(env.get("ORDERS_DB_URL").toString()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env).as("%s: no embedded database or SQS inside a container", name)
                    .containsEntry("ORDERS_EMBEDDED_ENABLED", "false");
        }
        assertThat(((Map<String, Object>) service(compose, "api").get("environment")).get("ORDERS_DB_MIGRATE"))
                .as("the api migrates").isNotEqualTo("false");
        assertThat(((Map<String, Object>) service(compose, "worker").get("environment")))
                .as("the worker only checks the schema").containsEntry("ORDERS_DB_MIGRATE", "false");
        assertThat(((Map<String, Object>) service(compose, "api").get("environment")).get("ORDERS_ROLE")).isEqualTo("api");
        assertThat(((Map<String, Object>) service(compose, "worker").get("environment")).get("ORDERS_ROLE")).isEqualTo("worker");
    }

    @Test
    @SuppressWarnings("unchecked")
    void services_start_in_a_health_gated_order_and_ports_match_the_configuration() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> api = service(compose, "api");
        Map<String, Object> apiEnv = (Map<String, Object>) api.get("environment");
        assertThat((List<String>) api.get("ports")).contains(apiEnv.get("CAMEL_SERVER_PORT") + ":" + apiEnv.get("CAMEL_SERVER_PORT"));
        for (String name : List.of("api", "worker")) {
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) service(compose, name).get("depends_on");
            assertThat(dependsOn.get("postgres")).containsEntry("condition", "service_healthy");
            assertThat(dependsOn.get("localstack")).containsEntry("condition", "service_healthy");
        }
        for (String name : List.of("postgres", "localstack")) {
            assertThat(service(compose, name)).containsKey("healthcheck");
        }
        List<String> volumes = (List<String>) service(compose, "localstack").get("volumes");
        assertThat(volumes).anyMatch(v -> v.startsWith("./localstack/init-aws.sh:/etc/localstack/init/ready.d/"));
        assertThat(Path.of("localstack/init-aws.sh")).exists();
        Map<String, Object> localstackEnv = (Map<String, Object>) service(compose, "localstack").get("environment");
        assertThat(localstackEnv.get("QUEUE_NAME")).isEqualTo(apiEnv.get("ORDERS_SQS_QUEUE_NAME"));
        assertThat(Integer.parseInt(localstackEnv.get("MAX_RECEIVE_COUNT").toString())).isGreaterThan(3);
    }

    @Test
    void the_image_runs_as_a_non_root_user_with_a_health_check() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("USER orders").contains("HEALTHCHECK").contains("/observe/health/ready")
                .contains("AS build");
    }
}
