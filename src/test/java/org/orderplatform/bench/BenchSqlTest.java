package org.orderplatform.bench;

import org.junit.jupiter.api.Test;
import org.orderplatform.api.OrderStore;
import org.orderplatform.worker.WorkStore;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's ceiling runs the service's own statements in pgbench (bench/sql/). They are copies, with
 * pgbench variables for the bind parameters: when the service's SQL changes, the ceiling must change with
 * it, or it silently measures SQL the service no longer runs.
 */
class BenchSqlTest {

    @Test
    void the_intake_ceiling_runs_the_intake_statement() throws Exception {
        assertThat(bench("intake.sql")).isEqualTo(normalize(service(OrderStore.class, "INSERT_ORDER_WITH_EVENT")));
    }

    @Test
    void the_worker_cycle_ceiling_runs_the_claim_and_the_completion() throws Exception {
        String cycle = bench("worker-cycle.sql");
        String claim = normalize(service(WorkStore.class, "CLAIM_OUTBOX"));
        // pgbench needs the claimed rows as arrays for \gset: the claim's final SELECT sits in one more CTE
        int finalSelect = claim.lastIndexOf(" SELECT ");
        assertThat(cycle).contains(claim.substring(0, finalSelect)).contains(claim.substring(finalSelect + 1));
        assertThat(cycle).contains(normalize(service(WorkStore.class, "COMPLETE")));
    }

    private static String bench(String file) throws Exception {
        return normalize(Files.readString(Path.of("bench", "sql", file)));
    }

    private static String service(Class<?> type, String constant) throws Exception {
        Field field = type.getDeclaredField(constant);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Comments, pgbench's \gset and its variables (and the UUIDs it makes itself) out; whitespace folded. */
    static String normalize(String sql) {
        return sql.replaceAll("--[^\\n]*", " ")
                .replace("\\gset", " ")
                .replaceAll("gen_random_uuid\\(\\)(::text)?", "?")
                .replaceAll("(?<!:):[a-z]+", "?")
                .replace(";", " ")
                .replaceAll("\\s+", " ")
                .replace("( ", "(").replace(" )", ")")
                .trim();
    }
}
