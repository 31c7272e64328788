package org.orderplatform.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Actions workflows cannot run here; this checks what can go stale offline: each file parses as
 * YAML, every repository path a workflow names (in its commands, its action inputs and its local
 * reusable workflows) exists, the build runs what CI must run, and the deploy uses OIDC, not keys.
 */
class WorkflowsTest {
    private static final Path WORKFLOWS = Path.of(".github", "workflows");
    /** Root entries that are build output or local state, never named as sources. */
    private static final Set<String> NOT_SOURCES = Set.of("target", "data", ".git", ".idea");

    private static Map<Path, Map<String, Object>> workflows() {
        assertThat(WORKFLOWS).as("the workflows of issue 10").isDirectory();
        Map<Path, Map<String, Object>> workflows = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    Object yaml = new Yaml().load(reader);
                    assertThat(yaml).as("%s is a YAML mapping", file).isInstanceOf(Map.class);
                    workflows.put(file, Terraform.map(yaml));
                } catch (RuntimeException e) {
                    throw new AssertionError(file + " does not parse as YAML: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(workflows).as("workflow files in %s", WORKFLOWS).isNotEmpty();
        return workflows;
    }

    /** Every step of every job of a workflow. */
    private static List<Map<String, Object>> steps(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = new ArrayList<>();
        Terraform.namedBlocks(workflow.get("jobs")).values().forEach(job -> steps.addAll(Terraform.blocks(job.get("steps"))));
        return steps;
    }

    /** YAML 1.1 reads the key {@code on} as the boolean true. */
    private static Map<String, Object> triggers(Map<String, Object> workflow) {
        Object on = workflow.containsKey("on") ? workflow.get("on") : ((Map<?, ?>) workflow).get(Boolean.TRUE);
        if (on instanceof String single) {
            return Map.of(single, Map.of());
        }
        if (on instanceof List<?> list) {
            return list.stream().collect(Collectors.toMap(String::valueOf, x -> Map.of()));
        }
        return Terraform.map(on);
    }

    private static String allCommands(Map<String, Object> workflow) {
        return steps(workflow).stream().map(s -> String.valueOf(s.getOrDefault("run", ""))).collect(Collectors.joining("\n"));
    }

    @Test
    void every_repository_path_a_workflow_names_exists() throws IOException {
        Set<String> roots;
        try (Stream<Path> entries = Files.list(Path.of("."))) {
            roots = entries.map(p -> p.getFileName().toString()).filter(n -> !NOT_SOURCES.contains(n)).collect(Collectors.toSet());
        }
        for (Map.Entry<Path, Map<String, Object>> entry : workflows().entrySet()) {
            Path file = entry.getKey();
            Set<String> named = new TreeSet<>();
            // words of every string in the workflow (commands, action inputs, names) that start at a root entry
            Terraform.walk(entry.getValue()).filter(String.class::isInstance).map(String.class::cast)
                    .flatMap(text -> Stream.of(text.split("[\\s'\"`()\\[\\]{}=,;|<>]+")))
                    .map(word -> word.replaceAll("^\\./", "").replaceAll("[.:]+$", ""))
                    .filter(word -> !word.isEmpty() && !word.contains("$") && !word.contains("://"))
                    .filter(word -> roots.contains(word.split("/", -1)[0]))
                    .forEach(named::add);
            for (Map<String, Object> step : steps(entry.getValue())) {
                Object uses = step.get("uses");
                Map<String, Object> with = Terraform.map(step.get("with"));
                if (uses != null && uses.toString().startsWith("docker/build-push-action")) {
                    // the image build: the context and its Dockerfile
                    String context = String.valueOf(with.getOrDefault("context", "."));
                    named.add(context);
                    named.add(Path.of(context).resolve(String.valueOf(with.getOrDefault("file", "Dockerfile"))).normalize().toString());
                }
            }
            Terraform.namedBlocks(entry.getValue().get("jobs")).forEach((name, job) -> {
                Object uses = job.get("uses");
                if (uses != null && uses.toString().startsWith("./")) {
                    named.add(uses.toString().substring(2));  // a reusable workflow of this repository
                }
            });
            if (allCommands(entry.getValue()).contains("mvn")) {
                named.add("pom.xml");
            }
            assertThat(named).as("%s names no repository path at all", file).isNotEmpty();
            for (String path : named) {
                assertThat(Path.of(path)).as("%s names %s", file, path).exists();
            }
        }
    }

    @Test
    void the_build_runs_the_tests_terraform_fmt_and_the_image_build_on_pull_requests_and_pushes() {
        Map<String, Object> build = workflows().entrySet().stream()
                .filter(e -> triggers(e.getValue()).containsKey("pull_request")).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no workflow runs on pull_request"));
        assertThat(triggers(build)).containsKey("push");
        String commands = allCommands(build);
        assertThat(commands).as("the build runs CI's test command").containsAnyOf(".ci/run", "mvn -B verify", "mvn -B -ntp verify");
        assertThat(commands).as("terraform fmt over all of infra/").contains("terraform fmt -check").contains("-recursive").contains("infra");
        assertThat(steps(build)).as("the image build").anyMatch(s -> String.valueOf(s.get("uses")).startsWith("docker/build-push-action")
                || String.valueOf(s.getOrDefault("run", "")).contains("docker build"));
        assertThat(Path.of(".ci", "run")).exists();
        try {
            assertThat(Files.readString(Path.of(".ci", "run"))).as(".ci/run runs the Maven verify").contains("mvn").contains("verify");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_deploy_uses_a_role_through_oidc_and_no_long_lived_keys() throws IOException {
        boolean deploys = false;
        for (Map.Entry<Path, Map<String, Object>> entry : workflows().entrySet()) {
            String text = Files.readString(entry.getKey());
            assertThat(text).as("%s: no long-lived AWS keys", entry.getKey())
                    .doesNotContain("aws-access-key-id").doesNotContain("AWS_ACCESS_KEY_ID").doesNotContain("AWS_SECRET_ACCESS_KEY");
            for (Map<String, Object> job : Terraform.namedBlocks(entry.getValue().get("jobs")).values()) {
                boolean assumesRole = Terraform.blocks(job.get("steps")).stream().anyMatch(s ->
                        String.valueOf(s.get("uses")).startsWith("aws-actions/configure-aws-credentials")
                                && Terraform.map(s.get("with")).containsKey("role-to-assume"));
                if (assumesRole) {
                    deploys = true;
                    Object permissions = job.containsKey("permissions") ? job.get("permissions") : entry.getValue().get("permissions");
                    assertThat(Terraform.map(permissions)).as("%s: the job that assumes the role may request the OIDC token",
                            entry.getKey()).containsEntry("id-token", "write");
                }
            }
        }
        assertThat(deploys).as("a workflow assumes the deploy role with aws-actions/configure-aws-credentials").isTrue();
    }
}
