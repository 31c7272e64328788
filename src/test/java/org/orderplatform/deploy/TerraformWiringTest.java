package org.orderplatform.deploy;

import org.junit.jupiter.api.Test;
import org.orderplatform.deploy.Terraform.Container;
import org.orderplatform.deploy.Terraform.Module;
import org.orderplatform.deploy.Terraform.Queues;
import org.orderplatform.deploy.Terraform.Ref;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The Terraform of issue 10 (infra/aws, infra/aws-lab and its compose file) against the code it deploys:
 * what the containers are given is what the service reads, its secrets stay out of plain environment,
 * the health checks are paths it serves, the shutdown windows cover its graceful shutdown, the redrive
 * policy leaves it all its retries, and everything is tagged. Each check reads the real
 * application.properties, so a renamed property or a changed default fails here.
 */
class TerraformWiringTest {
    private static final Properties PROPERTIES = Terraform.applicationProperties();
    /** The path a health check command asks for: curl/wget with a URL, or a raw "GET /path HTTP/1.x" request. */
    private static final Pattern HEALTH_PATH =
            Pattern.compile("(?:https?://[^/\\s\"'\\],]+|GET )(/[^\\s\"'|;\\],]*)");

    private static List<Container> prodContainers() {
        List<Container> containers = Terraform.ecsContainers(Terraform.module(Terraform.PROD));
        assertThat(containers).extracting(Container::role).as("ORDERS_ROLE of the ECS containers")
                .contains("api", "worker");
        return containers;
    }

    private static List<Container> labContainers() {
        List<Container> containers = Terraform.labContainers();
        assertThat(containers).extracting(Container::role).as("ORDERS_ROLE of the lab's compose services")
                .contains("api", "worker");
        return containers;
    }

    private static List<Container> allContainers() {
        List<Container> all = new ArrayList<>(prodContainers());
        all.addAll(labContainers());
        return all;
    }

    private static int property(String key) {
        String value = PROPERTIES.getProperty(key);
        assertThat(value).as("%s in application.properties", key).isNotBlank();
        return Integer.parseInt(value.trim());
    }

    @Test
    void every_tf_file_parses_and_every_module_reads_as_one() {
        for (Path file : Terraform.files()) {
            assertThat(Terraform.parseFile(file)).as("%s parsed", file).isNotNull();
        }
        assertThat(Terraform.moduleDirectories()).contains(Terraform.PROD, Terraform.LAB);
        for (String dir : Terraform.moduleDirectories()) {
            assertThat(Terraform.module(dir).tree()).as("%s as one module", dir).isNotEmpty();
        }
    }

    @Test
    void every_variable_given_to_a_container_is_a_property_the_service_reads() {
        for (Container container : allContainers()) {
            Set<String> names = new LinkedHashSet<>(container.environment().keySet());
            names.addAll(container.secrets().keySet());
            for (String name : names) {
                if (name.startsWith("ORDERS_") || name.startsWith("CAMEL_")) {
                    assertThat(Terraform.propertyFor(name, PROPERTIES))
                            .as("%s sets %s: no such key in application.properties", container.source(), name)
                            .isNotNull();
                }
            }
            Map<String, Object> env = container.environment();
            assertThat(env).as("%s", container.source())
                    .containsEntry("ORDERS_TRANSPORT", "sqs")
                    .containsEntry("ORDERS_SQS_CREATE_QUEUES", "false")
                    // an order written to a container's own disk is lost with the task
                    .containsEntry("ORDERS_EMBEDDED_ENABLED", "false")
                    .containsKey("ORDERS_DB_URL")
                    // the SDK resolves SQS's endpoint from the region; a hand-written URL can only be wrong
                    .doesNotContainKey("ORDERS_SQS_ENDPOINT")
                    .containsEntry("ORDERS_DB_MIGRATE", container.role().equals("api") ? "true" : "false");
            assertThat(container.role()).as("%s ORDERS_ROLE", container.source()).isIn("api", "worker");
        }
    }

    @Test
    void the_queue_name_the_containers_get_is_the_tree_s_work_queue() {
        Module prod = Terraform.module(Terraform.PROD);
        Queues queues = Terraform.queues(prod);
        for (Container container : prodContainers()) {
            assertThat(container.environment().get("ORDERS_SQS_QUEUE_NAME")).as("%s ORDERS_SQS_QUEUE_NAME", container.source())
                    .isEqualTo(new Ref("aws_sqs_queue." + queues.work() + ".name"));
        }
        Module lab = Terraform.module(Terraform.LAB);
        Queues labQueues = Terraform.queues(lab);
        for (Container container : labContainers()) {
            assertThat(labSetting(lab, container.environment().get("ORDERS_SQS_QUEUE_NAME")))
                    .as("%s ORDERS_SQS_QUEUE_NAME, as Terraform writes it for the host", container.source())
                    .isEqualTo(new Ref("aws_sqs_queue." + labQueues.work() + ".name"));
        }
        int lockTimeout = property("orders.outbox.lock-timeout-seconds");
        for (String dir : List.of(Terraform.PROD, Terraform.LAB)) {
            Module module = Terraform.module(dir);
            Queues q = Terraform.queues(module);
            // a message must not reappear while the worker that received it still holds the order's lease
            assertThat(resolvedNumber(module, module.resource("aws_sqs_queue", q.work()).get("visibility_timeout_seconds"),
                    dir + " aws_sqs_queue." + q.work() + ".visibility_timeout_seconds"))
                    .as("%s work queue visibility timeout >= orders.outbox.lock-timeout-seconds", dir)
                    .isGreaterThanOrEqualTo(lockTimeout);
            Object work = module.resource("aws_sqs_queue", q.work()).get("name");
            Object dlq = module.resource("aws_sqs_queue", q.dlq()).get("name");
            // the service looks its DLQ up by exactly this name
            assertThat(dlq).as("%s: DLQ name = work queue name + \"-dlq\"", dir).isEqualTo(work + "-dlq");
            for (String queue : List.of(q.work(), q.dlq())) {
                assertThat(module.resource("aws_sqs_queue", queue)).as("%s aws_sqs_queue.%s", dir, queue)
                        .containsEntry("sqs_managed_sse_enabled", true);
            }
        }
    }

    @Test
    void no_secret_is_a_plain_environment_value() {
        for (Container container : prodContainers()) {
            for (String name : container.environment().keySet()) {
                assertThat(Terraform.isSecretName(name))
                        .as("%s has %s in plain environment: it belongs in secrets (Secrets Manager)", container.source(), name)
                        .isFalse();
            }
            for (Map.Entry<String, Object> secret : container.secrets().entrySet()) {
                assertThat(secret.getValue()).as("%s secret %s: valueFrom must name a secret of the tree", container.source(), secret.getKey())
                        .isInstanceOfSatisfying(Ref.class, ref -> assertThat(prodDeclares(ref)).isTrue());
            }
            assertThat(container.secrets()).as("%s secrets", container.source()).containsKey("ORDERS_DB_PASSWORD");
            if (container.role().equals("api")) {
                assertThat(container.secrets()).as("%s secrets", container.source()).containsKey("ORDERS_ADMIN_TOKEN");
            }
        }
        // the lab's compose file: a secret is never a literal, it is substituted from the .env the host
        // writes from SSM at boot
        Map<String, Map<String, Object>> services = Terraform.namedBlocks(Terraform.labCompose().get("services"));
        services.forEach((service, body) -> Terraform.composeEnvironment(body.get("environment")).forEach((name, value) -> {
            if (Terraform.isSecretName(name)) {
                assertThat(String.valueOf(value)).as("%s service %s: %s must come from ${...} substitution, not a literal",
                        Terraform.LAB_COMPOSE, service, name).matches("\\$\\{[A-Z0-9_]+(:?[?-][^}]*)?}");
            }
        }));
        for (Container container : labContainers()) {
            assertThat(container.environment()).as("%s", container.source()).containsKey("ORDERS_DB_PASSWORD");
            if (container.role().equals("api")) {
                assertThat(container.environment()).as("%s", container.source()).containsKey("ORDERS_ADMIN_TOKEN");
            }
        }
    }

    private static boolean prodDeclares(Ref ref) {
        return Terraform.module(Terraform.PROD).declares(ref.address());
    }

    @Test
    void the_shutdown_windows_cover_the_service_s_graceful_shutdown() {
        int shutdown = property("camel.main.shutdownTimeout");
        Module prod = Terraform.module(Terraform.PROD);
        assertThat(prod.resources("aws_lb_target_group")).as("target groups of %s", Terraform.PROD).isNotEmpty();
        prod.resources("aws_lb_target_group").forEach((name, group) ->
                assertThat(Terraform.number(group.get("deregistration_delay"), "aws_lb_target_group." + name + ".deregistration_delay"))
                        .as("aws_lb_target_group.%s deregistration_delay >= camel.main.shutdownTimeout", name)
                        .isGreaterThanOrEqualTo(shutdown));
        for (Container container : prodContainers()) {
            // Fargate's own default stop timeout is 30 s, but an explicit value keeps it visible here
            assertThat(Terraform.number(container.definition().get("stopTimeout"), container.source() + " stopTimeout"))
                    .as("%s stopTimeout >= camel.main.shutdownTimeout, <= 120 (Fargate)", container.source())
                    .isGreaterThanOrEqualTo(shutdown).isLessThanOrEqualTo(120);
        }
        for (Container container : labContainers()) {
            // docker's default grace is 10 s, then SIGKILL
            Object grace = container.definition().get("stop_grace_period");
            assertThat(grace).as("%s stop_grace_period", container.source()).isNotNull();
            assertThat(seconds(grace.toString())).as("%s stop_grace_period >= camel.main.shutdownTimeout", container.source())
                    .isGreaterThanOrEqualTo(shutdown);
        }
    }

    /** Compose durations: 30s, 1m, 1m30s. */
    private static long seconds(String duration) {
        Matcher m = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?$").matcher(duration.trim());
        if (!m.matches() || duration.isBlank()) {
            return fail("not a compose duration: " + duration);
        }
        long total = 0;
        for (int i = 1; i <= 3; i++) {
            total = total * 60 + (m.group(i) == null ? 0 : Long.parseLong(m.group(i)));
        }
        return total;
    }

    @Test
    void the_redrive_policy_leaves_the_service_all_its_attempts() {
        int maxAttempts = property("orders.retry.max-attempts");
        for (String dir : List.of(Terraform.PROD, Terraform.LAB)) {
            Module module = Terraform.module(dir);
            Queues queues = Terraform.queues(module);
            Object count = Terraform.map(module.resource("aws_sqs_queue", queues.work()).get("redrive_policy")).get("maxReceiveCount");
            Matcher variable = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_]+)}").matcher(String.valueOf(count));
            assertThat(variable.matches()).as("%s: maxReceiveCount = var.<a variable with a validation>, not %s", dir, count).isTrue();
            String name = variable.group(1);
            Map<String, Object> declaration = module.variable(name);
            double byDefault = Terraform.number(declaration.get("default"), dir + " var." + name + " default");
            assertThat(byDefault).as("%s var.%s default > orders.retry.max-attempts (%s): every retry is another receive",
                    dir, name, maxAttempts).isGreaterThan(maxAttempts);
            assertThat(Terraform.blocks(declaration.get("validation"))).as("%s var.%s validation", dir, name).isNotEmpty();
            assertThat(conditions(module, name, (double) maxAttempts))
                    .as("%s var.%s validation with the value orders.retry.max-attempts (%s): must be refused", dir, name, maxAttempts)
                    .contains(false);
            assertThat(conditions(module, name, byDefault))
                    .as("%s var.%s validation with its own default: must be accepted", dir, name).containsOnly(true);
            // the service checks the property against the queue at start: give it the same number
            boolean prod = dir.equals(Terraform.PROD);
            for (Container container : prod ? prodContainers() : labContainers()) {
                Object value = container.environment().get("ORDERS_SQS_MAX_RECEIVE_COUNT");
                assertThat(prod ? value : labSetting(module, value))
                        .as("%s ORDERS_SQS_MAX_RECEIVE_COUNT", container.source()).isEqualTo("${var." + name + "}");
            }
        }
    }

    /** The validation conditions of a variable, evaluated by hcl4j with the variable set to {@code value}. */
    private static List<Object> conditions(Module module, String variable, double value) {
        return Terraform.blocks(module.variableEvaluatedWith(variable, value).get("validation")).stream()
                .map(v -> v.get("condition")).toList();
    }

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?[^}]*}");

    /**
     * What a lab compose value becomes on the host: a {@code ${NAME}} substitution is the value Terraform
     * writes for NAME (a key of a locals map: the instance's settings file), anything else is itself.
     */
    private static Object labSetting(Module lab, Object composeValue) {
        Matcher m = SUBSTITUTION.matcher(String.valueOf(composeValue));
        if (!m.matches()) {
            return composeValue;
        }
        return lab.locals().values().stream().filter(Map.class::isInstance).map(Terraform::map)
                .filter(settings -> settings.containsKey(m.group(1))).map(settings -> settings.get(m.group(1)))
                .findFirst().orElseThrow(() -> new AssertionError(Terraform.LAB + ": no locals map gives " + m.group(1)));
    }

    /** A number attribute, or the default of the variable it names. */
    private static double resolvedNumber(Module module, Object value, String what) {
        Matcher m = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_]+)}").matcher(String.valueOf(value));
        return Terraform.number(m.matches() ? module.variable(m.group(1)).get("default") : value, what);
    }

    /**
     * Compose fails the start on a required ${NAME} nobody sets: each one the lab's compose file needs is a
     * setting Terraform writes for the host, or a secret host/prepare.sh writes from SSM.
     */
    @Test
    void every_substitution_in_the_lab_compose_file_is_provided() throws IOException {
        Module lab = Terraform.module(Terraform.LAB);
        String compose = Files.readString(Terraform.LAB_COMPOSE);
        String prepare = Files.readString(Path.of(Terraform.LAB, "host", "prepare.sh"));
        Matcher m = SUBSTITUTION.matcher(compose.replaceAll("(?m)^\\s*#.*$", ""));
        Set<String> required = new TreeSet<>();
        while (m.find()) {
            if (!":-".equals(m.group(2)) && !"-".equals(m.group(2))) {
                required.add(m.group(1));
            }
        }
        assertThat(required).as("required substitutions in %s", Terraform.LAB_COMPOSE).isNotEmpty();
        for (String name : required) {
            boolean fromTerraform = lab.locals().values().stream().filter(Map.class::isInstance)
                    .anyMatch(settings -> Terraform.map(settings).containsKey(name));
            boolean fromSsm = Terraform.isSecretName(name) && prepare.contains(name + "=");
            assertThat(fromTerraform || fromSsm).as("%s needs ${%s}: neither a setting Terraform writes nor a secret "
                    + "host/prepare.sh writes", Terraform.LAB_COMPOSE, name).isTrue();
            assertThat(fromTerraform && Terraform.isSecretName(name))
                    .as("%s: the secret %s must not travel through Terraform's settings (user data)", Terraform.LAB, name).isFalse();
        }
    }

    @Test
    void every_root_tags_by_default_and_tags_what_default_tags_do_not_reach() {
        for (String dir : Terraform.moduleDirectories()) {
            Module module = Terraform.module(dir);
            List<Map<String, Object>> providers = module.providers("aws");
            if (providers.isEmpty()) {
                continue;  // a child module: the root's provider tags it
            }
            for (Map<String, Object> provider : providers) {
                Object tags = Terraform.map(provider.get("default_tags")).get("tags");
                assertThat(tags).as("%s provider \"aws\" default_tags { tags }", dir)
                        .isInstanceOfSatisfying(Map.class, m -> assertThat(m).isNotEmpty());
            }
            module.resources("aws_launch_template").forEach((name, template) -> {
                Map<Object, Object> tagged = new HashMap<>();
                Terraform.blocks(template.get("tag_specifications")).forEach(t -> tagged.put(t.get("resource_type"), t.get("tags")));
                for (String type : List.of("instance", "volume")) {
                    assertThat(tagged.get(type)).as("%s aws_launch_template.%s tag_specifications for %s", dir, name, type)
                            .isInstanceOfSatisfying(Map.class, m -> assertThat(m).isNotEmpty());
                }
            });
            module.resources("aws_instance").forEach((name, instance) -> {
                Object volumeTags = instance.get("volume_tags");
                if (volumeTags == null) {
                    volumeTags = Terraform.map(instance.get("root_block_device")).get("tags");
                }
                assertThat(volumeTags).as("%s aws_instance.%s: volume_tags or root_block_device { tags } (volumes do not get "
                        + "the provider's default_tags)", dir, name).isInstanceOfSatisfying(Map.class, m -> assertThat(m).isNotEmpty());
            });
            module.resources("aws_autoscaling_group").forEach((name, group) ->
                    assertThat(Terraform.blocks(group.get("tag"))).as("%s aws_autoscaling_group.%s tag blocks", dir, name).isNotEmpty());
            module.resources("aws_ecs_service").forEach((name, service) ->
                    assertThat(service.get("propagate_tags")).as("%s aws_ecs_service.%s propagate_tags (tasks do not get "
                            + "default_tags)", dir, name).isIn("SERVICE", "TASK_DEFINITION"));
        }
    }

    /**
     * The ALB's target group checks a path the service serves: the api and worker are booted (sqs, the api's
     * embedded ElasticMQ) and every health path the tree names is asked of the role it checks. 200, not
     * merely "not 404": the ALB takes a task out on anything else.
     */
    @Test
    void every_health_check_path_is_served_by_the_role_it_checks() {
        Map<String, Set<String>> pathsByRole = Map.of("api", new LinkedHashSet<>(), "worker", new LinkedHashSet<>());
        Module prod = Terraform.module(Terraform.PROD);
        prod.resources("aws_lb_target_group").forEach((name, group) -> {
            Object path = Terraform.map(group.get("health_check")).get("path");
            assertThat(path).as("aws_lb_target_group.%s health_check.path", name).isInstanceOf(String.class);
            assertThat(path).as("the ALB checks readiness (database and SQS), not only liveness").isEqualTo("/observe/health/ready");
            pathsByRole.get("api").add((String) path);
        });
        for (Container container : allContainers()) {
            Object check = container.definition().containsKey("healthCheck")
                    ? Terraform.map(container.definition().get("healthCheck")).get("command")
                    : Terraform.map(container.definition().get("healthcheck")).get("test");
            Matcher m = HEALTH_PATH.matcher(String.valueOf(check));
            assertThat(m.find()).as("%s health check asks for a path: %s", container.source(), check).isTrue();
            pathsByRole.get(container.role()).add(m.group(1));
        }
        String db = TestDatabase.newDatabase("terraform_health");
        Map<String, String> api = Platform.defaults(db);
        Map<String, String> worker = Platform.defaults(db);
        // three ports picked one after the other can coincide: the api's HTTP port, the worker's, ElasticMQ's
        int sqsPort = Platform.freePort();
        while (worker.get("camel.server.port").equals(api.get("camel.server.port"))) {
            worker.put("camel.server.port", String.valueOf(Platform.freePort()));
        }
        while (List.of(api.get("camel.server.port"), worker.get("camel.server.port")).contains(String.valueOf(sqsPort))) {
            sqsPort = Platform.freePort();
        }
        api.put("orders.role", "api");
        api.put("orders.transport", "sqs");
        api.put("orders.sqs.embedded-port", String.valueOf(sqsPort));
        worker.put("orders.role", "worker");
        worker.put("orders.transport", "sqs");
        worker.put("orders.sqs.endpoint", "http://127.0.0.1:" + sqsPort);
        worker.put("orders.sqs.wait-time-seconds", "1");
        try (Platform apiProcess = Platform.start(api); Platform workerProcess = Platform.start(worker)) {
            Map<String, Platform> byRole = Map.of("api", apiProcess, "worker", workerProcess);
            pathsByRole.forEach((role, paths) -> paths.forEach(path -> {
                Http http = Http.anonymous(byRole.get(role).baseUrl());
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(http.get(path).status()).as("GET %s on the %s role", path, role).isEqualTo(200));
            }));
        }
    }
}
