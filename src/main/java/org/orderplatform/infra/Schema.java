package org.orderplatform.infra;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.List;

/**
 * The database schema (Flyway, {@code classpath:db/migration}). A process either migrates it
 * ({@code orders.db.migrate=true}: the api, or any process of a single-user setup) or only checks that it
 * has been migrated ({@code false}: a worker whose database user has no DDL rights). The check reads
 * Flyway's history table and nothing else, so a user with SELECT on it and DML on the service's tables is
 * enough.
 */
public final class Schema {
    private Schema() {
    }

    public static void migrate(DataSource dataSource) {
        flyway(dataSource).migrate();
    }

    /**
     * Fails unless every migration this build ships is applied and none failed. Migrations applied by a
     * newer build (a rolling deployment whose api is ahead) are fine: they are Flyway's "future" ones.
     */
    public static void checkMigrated(DataSource dataSource) {
        MigrationInfo[] all = flyway(dataSource).info().all();
        List<String> missing = Arrays.stream(all)
                .filter(m -> m.getState().isFailed() || (m.getState().isResolved() && !m.getState().isApplied()))
                .map(m -> (m.isVersioned() ? "V" + m.getVersion() : "R") + " " + m.getDescription() + " ("
                        + m.getState().getDisplayName() + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the database schema is not migrated, and orders.db.migrate=false does not "
                    + "migrate it: " + String.join(", ", missing) + ". Start a process with orders.db.migrate=true "
                    + "(the api) first, then this one");
        }
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
    }
}
