package org.orderplatform.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderplatform.api.OrderStore;
import org.orderplatform.infra.Schema;
import org.orderplatform.infra.SqlStatement;
import org.orderplatform.support.Db;
import org.orderplatform.support.SqlFiles;
import org.orderplatform.support.TestDatabase;
import org.orderplatform.worker.WorkItem;
import org.orderplatform.worker.WorkStore;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderplatform.domain.OrderStatus.FAILED;
import static org.orderplatform.domain.OrderStatus.PENDING;
import static org.orderplatform.domain.OrderStatus.PROCESSED;
import static org.orderplatform.domain.OrderStatus.PROCESSING;

/**
 * The order state machine is the SQL statements in src/main/resources/sql (docs/architecture.md, "SQL and
 * the state machine"): each one that changes an order's status names the status it expects. This test
 * walks every statement from every status, on the real PostgreSQL, and holds the result to the lifecycle:
 * each statement makes its one transition from its one status (with the audit row, where the statement
 * writes one) and refuses every other status, leaving the order untouched.
 */
class StateMachineTest {
    /** The lifecycle (docs/architecture.md): the only moves between statuses. */
    private static final Set<String> LIFECYCLE = Set.of(
            "PENDING->PROCESSING", "PROCESSING->PROCESSED", "PROCESSING->PENDING", "PROCESSING->FAILED",
            "FAILED->PENDING");

    private static final String WORKER = "w-test";
    private static final int ATTEMPT = 1;

    private static Db db;
    private static WorkStore work;
    private static OrderStore orders;
    private static PGSimpleDataSource dataSource;

    /** One statement applied to the arranged order (its event id, its id). */
    private interface Move {
        void apply(long eventId, UUID orderId) throws SQLException;
    }

    /** A statement, how the service runs it, and the one transition it makes. */
    private record Case(String file, String variant, OrderStatus from, OrderStatus to, boolean writesHistory, Move move) {
    }

    private static final List<Case> CASES = List.of(
            new Case("claim-outbox", "", PENDING, PROCESSING, false, (e, o) -> work.claimOutbox(10)),
            new Case("start-order", "", PENDING, PROCESSING, false,
                    (e, o) -> work.start(new OrderEvent(e, "OrderCreated", o, "corr"), Duration.ofSeconds(60), 3)),
            new Case("start-orders", "", PENDING, PROCESSING, false,
                    (e, o) -> work.startAll(List.of(new OrderEvent(e, "OrderCreated", o, "corr")), Duration.ofSeconds(60), 3)),
            new Case("complete-orders", "", PROCESSING, PROCESSED, true, (e, o) -> work.complete(List.of(item(e, o)))),
            new Case("retry-order", "", PROCESSING, PENDING, true,
                    (e, o) -> work.retry(item(e, o), Duration.ofSeconds(1), "boom")),
            new Case("dead-letter-order", "", PROCESSING, FAILED, true, (e, o) -> work.deadLetter(item(e, o), "boom")),
            new Case("recover-stale-locks", "attempts left", PROCESSING, PENDING, true,
                    (e, o) -> work.recoverStale(Duration.ofSeconds(60), 3)),
            new Case("recover-stale-locks", "last attempt", PROCESSING, FAILED, true,
                    (e, o) -> work.recoverStale(Duration.ofSeconds(60), ATTEMPT)),
            new Case("inprocess-release-orphans", "attempts left", PROCESSING, PENDING, true,
                    (e, o) -> run("inprocess-release-orphans", "w-restarted", 3)),
            new Case("inprocess-release-orphans", "last attempt", PROCESSING, FAILED, true,
                    (e, o) -> run("inprocess-release-orphans", "w-restarted", ATTEMPT)),
            new Case("reprocess-orders", "", FAILED, PENDING, true, (e, o) -> orders.reprocessAll(List.of(o), null)));

    @BeforeAll
    static void migrate() {
        String url = TestDatabase.newDatabase("state_machine");
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser("postgres");
        Schema.migrate(dataSource);
        db = new Db(url);
        work = new WorkStore(dataSource, WORKER);
        orders = new OrderStore(dataSource, new ObjectMapper());
    }

    @Test
    void every_statement_makes_its_transition_and_refuses_every_other_status() throws SQLException {
        Set<String> made = new TreeSet<>();
        for (Case c : CASES) {
            for (OrderStatus from : OrderStatus.values()) {
                String what = c.file() + " " + c.variant() + " from " + from;
                db.update("TRUNCATE orders, outbox, dlq, order_transitions, idempotency_keys CASCADE");
                UUID id = UUID.randomUUID();
                long eventId = arrange(id, from);

                c.move().apply(eventId, id);

                OrderStatus after = OrderStatus.valueOf((String) db.query("SELECT status FROM orders WHERE id = ?", id)
                        .get(0).get("status"));
                List<String> history = db.query("SELECT from_status || '->' || to_status AS t FROM order_transitions"
                        + " WHERE order_id = ?", id).stream().map(r -> (String) r.get("t")).toList();
                if (from == c.from()) {
                    assertThat(after).as(what).isEqualTo(c.to());
                    assertThat(history).as(what + ": the audit row")
                            .isEqualTo(c.writesHistory() ? List.of(from + "->" + c.to()) : List.of());
                    made.add(from + "->" + after);
                } else {
                    assertThat(after).as(what + " is refused").isEqualTo(from);
                    assertThat(history).as(what + " writes no history").isEmpty();
                }
            }
        }
        // every move of the lifecycle happens, and nothing else does
        assertThat(made).isEqualTo(new TreeSet<>(LIFECYCLE));
    }

    /** A statement that changes an order's status and is not walked above would escape the state machine. */
    @Test
    void every_statement_that_changes_a_status_is_walked() {
        Set<String> changing = SqlFiles.all().entrySet().stream()
                .filter(f -> f.getValue().replaceAll("--[^\n]*", "").replaceAll("\\s+", " ")
                        .matches(".*UPDATE orders\\b.*\\bSET status\\b.*"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(changing).isEqualTo(CASES.stream().map(Case::file).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** The statuses Java knows are the ones the orders table allows. */
    @Test
    void the_statuses_are_the_ones_the_table_allows() {
        String check = (String) db.query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint"
                + " WHERE conrelid = 'orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'")
                .get(0).get("def");
        Set<String> allowed = new LinkedHashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([A-Z]+)'").matcher(check);
        while (m.find()) {
            allowed.add(m.group(1));
        }
        assertThat(allowed).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(OrderStatus.values()).map(Enum::name).toList());
    }

    /**
     * An order in {@code status}, on attempt 1, held by {@link #WORKER} with a lease an hour old, with a
     * ready outbox event and a DLQ entry: only the status differs between the starting points.
     */
    private static long arrange(UUID id, OrderStatus status) {
        db.update("INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id, retry_count,"
                + " locked_by, locked_at) VALUES (?, 'c-1', 'EUR', '[]'::jsonb, 1.00, ?, 'corr', ?, ?,"
                + " now() - interval '1 hour')", id, status.name(), ATTEMPT, WORKER);
        db.update("INSERT INTO dlq (order_id, reason, retry_count, correlation_id) VALUES (?, 'boom', ?, 'corr')",
                id, ATTEMPT);
        return ((Number) db.query("INSERT INTO outbox (order_id, event_type, payload, correlation_id)"
                + " VALUES (?, 'OrderCreated', '{}'::jsonb, 'corr') RETURNING id", id).get(0).get("id")).longValue();
    }

    private static WorkItem item(long eventId, UUID orderId) {
        return new WorkItem(eventId, orderId, "corr", ATTEMPT, null);
    }

    private static void run(String file, Object... values) throws SQLException {
        SqlStatement sql = SqlStatement.load(file);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = sql.prepare(c)) {
            sql.bind(s, values);
            s.execute();
        }
    }
}
