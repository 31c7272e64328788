package org.orderplatform.infra;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * orders.db.migrate=false: the worker on AWS, whose database user has no DDL rights, checks the schema the
 * api migrated instead of migrating it.
 */
class SchemaMigrationTest {

    @Test
    void without_migrations_a_process_that_may_not_migrate_fails_the_start_and_creates_nothing() {
        Db db = new Db(TestDatabase.newDatabase("schema_unmigrated"));
        Map<String, String> worker = Platform.defaults(db.url(), "orders.role", "worker", "orders.db.migrate", "false");

        assertThatThrownBy(() -> Platform.start(worker).close())
                .hasMessageContaining("the database schema is not migrated")
                .hasMessageContaining("V1 ")
                .hasMessageContaining("orders.db.migrate=true");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .as("no table created, not even Flyway's history").isZero();
    }

    @Test
    void a_worker_whose_user_has_no_ddl_rights_runs_on_the_schema_the_api_migrated() {
        String url = TestDatabase.newDatabase("schema_dml_only");
        Db admin = new Db(url);
        String database = (String) admin.query("SELECT current_database() AS d").get(0).get("d");
        String user = database + "_worker";
        // the recipe of docs/configuration.md, before the api's first start: no CREATE on the schema, owner of
        // nothing, DML on whatever the api's migrations create
        admin.update("CREATE ROLE " + user + " LOGIN PASSWORD 'worker'");
        admin.update("GRANT CONNECT ON DATABASE " + database + " TO " + user);
        admin.update("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        admin.update("GRANT USAGE ON SCHEMA public TO " + user);
        admin.update("ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public "
                + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + user);
        admin.update("ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT USAGE ON SEQUENCES TO " + user);
        Map<String, String> api = Platform.defaults(url, "orders.role", "api");
        try (Platform apiProcess = Platform.start(api)) {
            Map<String, String> worker = Platform.defaults(url,
                    "orders.role", "worker",
                    "orders.db.username", user,
                    "orders.db.password", "worker",
                    "orders.db.migrate", "false");
            try (Platform ignored = Platform.start(worker)) {
                String id = new Http(apiProcess.baseUrl()).createOrder();
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        "PROCESSED".equals(admin.query("SELECT status FROM orders WHERE id = ?::uuid", id).get(0).get("status")));
            }
            assertThat(admin.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = ?", user))
                    .isZero();
        }
    }
}
