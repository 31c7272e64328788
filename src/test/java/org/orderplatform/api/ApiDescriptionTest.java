package org.orderplatform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The API description the running service serves at {@code /openapi.json}: Redocly's recommended rules find
 * no error and no warning in it.
 */
class ApiDescriptionTest {
    /** Pinned: a new Redocly release may add rules; moving to it is a deliberate change of this line. */
    static final String REDOCLY = "@redocly/cli@2.77.0";
    private static final Path SERVED = Path.of("target/openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A problem line of the stylish format: {@code   12:3  warning  rule-id  message}. */
    private static final Pattern PROBLEM = Pattern.compile("(?m)^\\s*\\d+:\\d+\\s+(error|warning)\\s");

    private static Platform platform;
    private static String served;

    @BeforeAll
    static void start() throws IOException {
        Db db = new Db(TestDatabase.newDatabase("api_description"));
        platform = Platform.start(Platform.defaults(db.url()));
        Http.Response response = Http.anonymous(platform.baseUrl()).get("/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        served = response.body();
        Files.createDirectories(SERVED.getParent());
        Files.writeString(SERVED, served, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void redocly_finds_no_error_and_no_warning_in_the_served_document() throws Exception {
        assumeTrue(onPath("npx"), "npx (Node.js) is not installed: the Redocly lint of /openapi.json is SKIPPED");
        Path out = Path.of("target/redocly-lint.out");
        Path err = Path.of("target/redocly-lint.err");
        ProcessBuilder lint = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", "--format=stylish", SERVED.toAbsolutePath().toString())
                .directory(new File("target"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("redocly lint finished within 5 minutes").isTrue();
        String report = Files.readString(out) + Files.readString(err);
        assertThat(PROBLEM.matcher(Files.readString(out)).find())
                .as("redocly lint problems in target/openapi.json:%n%s", report).isFalse();
        assertThat(report).as(report).doesNotContainPattern("You have \\d+ warnings?");
        assertThat(process.exitValue()).as("redocly lint exit code:%n%s", report).isZero();
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
