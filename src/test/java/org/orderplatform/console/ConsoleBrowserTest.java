package org.orderplatform.console;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console in a real browser: headless Chromium (Debian's package) driven by
 * {@code src/test/browser/console-e2e.mjs} through playwright-core (npm, see package.json). Orders are
 * dead-lettered by the application's own worker while every attempt fails (AdviceWith); the page then works against
 * the same application, whose attempts succeed from then on. Skips, saying why, only when node or chromium is missing
 * ({@code .ci/run} installs both); screenshots go to target/console-screenshots/.
 */
class ConsoleBrowserTest extends PlatformTestSupport {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCRIPT = Path.of("src/test/browser/console-e2e.mjs");

    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.retry.max-attempts", "1");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void an_operator_reprocesses_two_dead_letters_through_the_page_and_sees_them_processed() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "SKIPPED: no " + CHROMIUM + " (apt-get install chromium; .ci/run does)");
        Assumptions.assumeTrue(nodeVersion() != null, "SKIPPED: no node on the PATH (apt-get install nodejs npm)");
        assertThat(Path.of("node_modules/playwright-core/package.json"))
                .as("playwright-core is not installed: run `npm ci` at the repository root (.ci/run does)")
                .exists();

        List<String> dead = deadLetters(4, "console-e2e");
        Path screenshots = Path.of("target/console-screenshots");
        Path log = Path.of("target/console-e2e.log");
        Files.createDirectories(screenshots);
        Process node = new ProcessBuilder("node", SCRIPT.toString(), baseUrl(), Http.ADMIN_TOKEN, screenshots.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = node.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(ended).as("the browser test ended within 4 minutes:\n" + output).isTrue();
        assertThat(node.exitValue()).as("console-e2e.mjs exit code; its output:\n" + output).isZero();
        // the service's own record agrees with what the page showed: two entries reprocessed and processed
        assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id::text = ANY (?)", (Object) dead.toArray(String[]::new)))
                .isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED' AND id::text = ANY (?)",
                (Object) dead.toArray(String[]::new))).isEqualTo(2);
        assertThat(screenshots.resolve("console.png")).exists();
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
