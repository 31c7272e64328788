package org.orderplatform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The API description the running service serves at {@code /openapi.json}: Redocly's recommended rules find no
 * error and no warning in it; it describes exactly the REST operations of the routes, with their status codes and
 * security, and the service enforces that security as described; and it equals the committed copy the generated
 * client is built from ({@link GeneratedClientTest}). The four tests read one document of one application, so they
 * share it (Camel's test support, per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDescriptionTest extends PlatformTestSupport {
    /** Pinned: a new Redocly release may add rules; moving to it is a deliberate change of this line. */
    static final String REDOCLY = "@redocly/cli@2.77.0";
    private static final Path SERVED = Path.of("target/openapi.json");
    /** The copy openapi-generator builds the test client from (pom.xml). */
    static final Path COMMITTED = Path.of("src/test/resources/openapi/order-platform.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A problem line of the stylish format: {@code   12:3  warning  rule-id  message}. */
    private static final Pattern PROBLEM = Pattern.compile("(?m)^\\s*\\d+:\\d+\\s+(error|warning)\\s");

    private String served;

    /** The document the application serves, fetched once and written to target/ for the Redocly lint. */
    private String served() throws IOException {
        if (served == null) {
            Http.Response response = Http.anonymous(baseUrl()).get("/openapi.json");
            assertThat(response.status()).isEqualTo(200);
            Files.createDirectories(SERVED.getParent());
            Files.writeString(SERVED, response.body(), StandardCharsets.UTF_8);
            served = response.body();
        }
        return served;
    }

    @Test
    void redocly_finds_no_error_and_no_warning_in_the_served_document() throws Exception {
        assumeTrue(onPath("npx"), "npx (Node.js) is not installed: the Redocly lint of /openapi.json is SKIPPED");
        served();
        Path out = Path.of("target/redocly-lint.out");
        Path err = Path.of("target/redocly-lint.err");
        ProcessBuilder lint = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", "--format=stylish", SERVED.toAbsolutePath().toString())
                .directory(new File("target"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("redocly lint did not finish within 5 minutes (npx fetches it from npm on first use)");
        }
        String report = Files.readString(out) + Files.readString(err);
        assertThat(PROBLEM.matcher(Files.readString(out)).find())
                .as("redocly lint problems in target/openapi.json:%n%s", report).isFalse();
        assertThat(report).as("%s", report).doesNotContainPattern("You have \\d+ warnings?").contains("validated in");
        assertThat(process.exitValue()).as("redocly lint exit code:%n%s", report).isZero();
    }

    @Test
    void the_committed_copy_the_client_is_generated_from_equals_the_served_document() throws IOException {
        List<String> differences = new ArrayList<>();
        differences(JSON.readTree(Files.readString(COMMITTED)), JSON.readTree(served()), "", differences);
        assertThat(differences)
                .as("%s differs from the document the service serves at /openapi.json, from which the test client "
                        + "is generated (JSON pointers below). If the change of the API is intended, refresh the copy with%n"
                        + "    cp %s %s%nand commit it (mvn then regenerates the client).", COMMITTED, SERVED, COMMITTED)
                .isEmpty();
    }

    /** Where two JSON documents differ, as JSON pointers with both values (short). */
    private static void differences(JsonNode committed, JsonNode live, String at, List<String> found) {
        if (committed.isObject() && live.isObject()) {
            Set<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            live.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                differences(committed.path(name), live.path(name), at + "/" + name.replace("~", "~0").replace("/", "~1"), found);
            }
        } else if (committed.isArray() && live.isArray() && committed.size() == live.size()) {
            for (int i = 0; i < committed.size(); i++) {
                differences(committed.get(i), live.get(i), at + "/" + i, found);
            }
        } else if (!committed.equals(live)) {
            found.add(at + ": committed " + abbreviate(committed) + ", served " + abbreviate(live));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.isMissingNode() ? "(absent)" : node.toString();
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }

    @Test
    void the_document_describes_exactly_the_rest_operations_of_the_routes_with_their_codes_and_security() throws IOException {
        JsonNode doc = JSON.readTree(served());
        Map<String, Operation> routes = new TreeMap<>();
        for (RestDefinition rest : context.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                Set<String> codes = new TreeSet<>();
                verb.getResponseMsgs().forEach(message -> codes.add(message.getCode()));
                Set<String> security = new TreeSet<>();
                verb.getSecurity().forEach(requirement -> security.add(requirement.getKey()));
                routes.put(verb.asVerb().toUpperCase(Locale.ROOT) + " " + verb.getPath(), new Operation(codes, security));
            }
        }
        Map<String, Operation> documented = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                Set<String> codes = new TreeSet<>();
                operation.getValue().path("responses").fieldNames().forEachRemaining(codes::add);
                Set<String> security = new TreeSet<>();
                operation.getValue().path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(security::add));
                assertThat(operation.getValue().has("security"))
                        .as("%s %s states its security, security: [] when open", operation.getKey(), path.getKey()).isTrue();
                documented.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), new Operation(codes, security));
            }
        }
        assertThat(documented).as("operations of /openapi.json against the REST DSL").isEqualTo(routes);
        assertThat(routes).as("the routes have operations").isNotEmpty();
        assertThat(doc.at("/components/securitySchemes/operatorToken/scheme").asText()).isEqualTo("bearer");
    }

    /**
     * What the document says about security is what the service does: without a token, every operation it marks
     * with the bearer scheme answers 401, and no operation it marks open does.
     */
    @Test
    void the_service_enforces_the_security_the_document_states() throws IOException {
        JsonNode doc = JSON.readTree(served());
        Http anonymous = Http.anonymous(baseUrl());
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String concrete = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                Http.Response response = method.equals("POST")
                        ? anonymous.post(concrete, "application/json", "{}")
                        : anonymous.method(method, concrete);
                boolean open = operation.getValue().path("security").isEmpty();
                if (open) {
                    assertThat(response.status()).as("%s %s is documented as open", method, concrete).isNotEqualTo(401);
                } else {
                    assertThat(response.status()).as("%s %s is documented as needing the bearer token", method, concrete)
                            .isEqualTo(401);
                    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
                }
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    private record Operation(Set<String> codes, Set<String> security) {
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
