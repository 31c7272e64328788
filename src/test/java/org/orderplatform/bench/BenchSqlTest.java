package org.orderplatform.bench;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.SqlFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's ceiling runs the service's own statement files in pgbench: bench/sql/compose.sh (what
 * bench/run.sh runs) prints each script from src/main/resources/sql, adding only pgbench's parts. The
 * files must reach pgbench unchanged, or the ceiling measures SQL the service does not run.
 */
class BenchSqlTest {
    @Test
    void the_intake_ceiling_runs_the_intake_file_with_only_the_ids_pgbench_cannot_make_replaced() throws Exception {
        String script = compose("intake");

        assertThat(script).contains("VALUES (gen_random_uuid(), :customer_id,").contains("gen_random_uuid()::text)");
        // put the two parameters back: the rest is the service's file, byte for byte
        assertThat(script.replace("gen_random_uuid()::text", ":correlation_id").replace("gen_random_uuid()", ":id"))
                .isEqualTo(service("insert-order-with-event.sql"));
    }

    @Test
    void the_worker_cycle_ceiling_runs_the_claim_and_the_completion_files_verbatim() throws Exception {
        String script = compose("worker-cycle");

        assertThat(script).isEqualTo("\\set worker_id :client_id\n" + service("claim-outbox.sql")
                + Files.readString(Path.of("bench", "sql", "claimed-work.sql")) + service("complete-orders.sql"));
        assertThat(script.lines()).containsOnlyOnce("\\gset");
    }

    private static String service(String file) throws IOException {
        return Files.readString(SqlFiles.DIR.resolve(file));
    }

    private static String compose(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "bench/sql/compose.sh", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
