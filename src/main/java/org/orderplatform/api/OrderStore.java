package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.infra.Jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The API's view of the database: intake, reads and reprocess. Every write is ONE statement (a CTE), so
 * it is atomic on its own: an order is never stored without its outbox event, and a reprocess never
 * deletes a DLQ entry without resetting the order and writing the new event.
 */
public class OrderStore {

    /**
     * Order and its OrderCreated outbox event in one statement: no dual write, nothing to lose on a crash. The
     * event keeps the intake span's traceparent (NULL when tracing is off).
     */
    static final String INSERT_ORDER_WITH_EVENT = """
            WITH o AS (
                INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
                VALUES (?, ?, ?, ?::jsonb, ?, 'PENDING', ?)
                RETURNING id, correlation_id)
            INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
            SELECT id, 'OrderCreated',
                   jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
                   correlation_id, ?::varchar
              FROM o
            RETURNING id""";

    /**
     * The same with an Idempotency-Key: the key, the order and its event in one statement. When the key is
     * taken (a retry, possibly concurrent: ON CONFLICT waits for the other insert to commit), nothing is
     * written and no row comes back.
     */
    static final String INSERT_ORDER_WITH_EVENT_AND_KEY = """
            WITH k AS (
                INSERT INTO idempotency_keys (key, request_hash, order_id, correlation_id)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO NOTHING
                RETURNING order_id, correlation_id
            ), o AS (
                INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
                SELECT order_id, ?, ?, ?::jsonb, ?, 'PENDING', correlation_id FROM k
                RETURNING id, correlation_id)
            INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
            SELECT id, 'OrderCreated',
                   jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
                   correlation_id, ?::varchar
              FROM o
            RETURNING id""";

    private static final String FIND_KEY =
            "SELECT request_hash, order_id, correlation_id FROM idempotency_keys WHERE key = ?";

    private static final String ORDER_COLUMNS = """
            id, status, customer_id, currency, items::text AS items, total, retry_count, failure_reason,
            correlation_id, created_at, updated_at""";

    private static final String SELECT_ORDER = "SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ?";
    private static final String LIST_ORDERS =
            "SELECT " + ORDER_COLUMNS + " FROM orders ORDER BY created_at DESC, id DESC LIMIT ?";
    private static final String LIST_ORDERS_BY_STATUS =
            "SELECT " + ORDER_COLUMNS + " FROM orders WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?";
    private static final String LIST_DLQ = """
            SELECT order_id, reason, retry_count, failed_at, correlation_id
              FROM dlq ORDER BY failed_at DESC, order_id DESC LIMIT ?""";

    /**
     * Reprocess in one statement, for one id or a list of them: delete the DLQ entries of FAILED orders,
     * reset those orders to PENDING with a fresh attempt budget, record the transitions and write one
     * OrderReprocessed event each, with the reprocess request's traceparent (a reprocess starts a new trace,
     * see docs/operations.md "Tracing"). One row comes back per given id, in the given order; its last
     * columns tell a missing DLQ entry (404) from an order in another state (409). Every part of the statement
     * sees the same snapshot, so {@code had_entry} is the entry as it was before the delete. The DLQ rows are
     * locked in order_id order first: two requests naming the same orders in different orders would otherwise
     * lock them in different orders and deadlock (one would fail with a 500; BulkReprocessRaceTest).
     */
    private static final String REPROCESS = """
            WITH ids AS (
                SELECT order_id, pos FROM unnest(?::uuid[]) WITH ORDINALITY AS i(order_id, pos)
            ), claimed AS (
                SELECT d.order_id FROM dlq d JOIN ids ON ids.order_id = d.order_id
                 ORDER BY d.order_id
                   FOR UPDATE OF d
            ), entry AS (
                DELETE FROM dlq d USING orders o, claimed
                 WHERE d.order_id = claimed.order_id AND o.id = d.order_id AND o.status = 'FAILED'
                RETURNING d.order_id
            ), reset AS (
                UPDATE orders o
                   SET status = 'PENDING', retry_count = 0, failure_reason = NULL,
                       locked_by = NULL, locked_at = NULL, updated_at = now()
                  FROM entry
                 WHERE o.id = entry.order_id AND o.status = 'FAILED'
                RETURNING o.id, o.correlation_id
            ), history AS (
                INSERT INTO order_transitions (order_id, from_status, to_status, attempt, reason)
                SELECT id, 'FAILED', 'PENDING', 0, 'reprocessed by an operator' FROM reset
            ), event AS (
                INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
                SELECT id, 'OrderReprocessed',
                       jsonb_build_object('type', 'OrderReprocessed', 'orderId', id, 'correlationId', correlation_id),
                       correlation_id, ?::varchar
                  FROM reset
                RETURNING id, order_id, correlation_id
            )
            SELECT ids.order_id, event.id AS event_id, event.correlation_id,
                   EXISTS (SELECT 1 FROM dlq WHERE dlq.order_id = ids.order_id) AS had_entry
              FROM ids LEFT JOIN event ON event.order_id = ids.order_id
             ORDER BY ids.pos""";

    /** An order's history, oldest first; no row at all when the order does not exist. */
    private static final String TRANSITIONS = """
            SELECT t.id, t.at, t.from_status, t.to_status, t.attempt, t.worker_id, t.reason
              FROM orders o LEFT JOIN order_transitions t ON t.order_id = o.id
             WHERE o.id = ?
             ORDER BY t.id""";

    /** GET /orders?correlationId= (served by orders_correlation_idx), optionally with a status. */
    private static final String LIST_ORDERS_BY_CORRELATION = "SELECT " + ORDER_COLUMNS
            + " FROM orders WHERE correlation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?";
    private static final String LIST_ORDERS_BY_CORRELATION_AND_STATUS = "SELECT " + ORDER_COLUMNS
            + " FROM orders WHERE correlation_id = ? AND status = ? ORDER BY created_at DESC, id DESC LIMIT ?";

    /**
     * The console's overview in one statement. Counting orders by status reads the whole table (an
     * index-only scan at best): fine every few seconds for a console, not for a hot path. The outbox
     * backlog and the DLQ are served by their partial indexes, as in BacklogSampler.
     */
    private static final String STATS = """
            SELECT now() AS at,
                   count(*) FILTER (WHERE status = 'PENDING') AS pending,
                   count(*) FILTER (WHERE status = 'PROCESSING') AS processing,
                   count(*) FILTER (WHERE status = 'PROCESSED') AS processed,
                   count(*) FILTER (WHERE status = 'FAILED') AS failed,
                   count(*) AS total,
                   (SELECT count(*) FROM outbox WHERE status IN ('PENDING', 'LOCKED')) AS backlog,
                   (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
                      FROM outbox WHERE status IN ('PENDING', 'LOCKED')) AS oldest_seconds,
                   (SELECT count(*) FROM dlq) AS dlq
              FROM orders""";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public OrderStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * Stores a validated order and its event atomically. With an {@code idempotencyKey} already used for the
     * same order, stores nothing and answers the order created the first time ({@link Intake#replayed()}).
     *
     * @throws ApiException 422 when the key was used for a different order
     */
    public Intake create(NewOrder order, String correlationId, String idempotencyKey)
            throws SQLException, JsonProcessingException {
        return create(order, correlationId, idempotencyKey, null);
    }

    /** As {@link #create(NewOrder, String, String)}, the event stored with the intake span's {@code traceparent}. */
    public Intake create(NewOrder order, String correlationId, String idempotencyKey, String traceparent)
            throws SQLException, JsonProcessingException {
        UUID id = UUID.randomUUID();
        String itemsJson = mapper.writeValueAsString(order.items());
        try (Connection c = dataSource.getConnection()) {
            if (idempotencyKey == null) {
                try (PreparedStatement s = c.prepareStatement(INSERT_ORDER_WITH_EVENT)) {
                    Jdbc.setParams(s, id, order.customerId(), order.currency(), itemsJson, order.total(), correlationId,
                            traceparent);
                    return new Intake(new OrderEvent(eventId(s), "OrderCreated", id, correlationId, traceparent), false);
                }
            }
            String hash = sha256(mapper.writeValueAsString(order));
            try (PreparedStatement s = c.prepareStatement(INSERT_ORDER_WITH_EVENT_AND_KEY)) {
                Jdbc.setParams(s, idempotencyKey, hash, id, correlationId,
                        order.customerId(), order.currency(), itemsJson, order.total(), traceparent);
                Long eventId = eventIdOrNull(s);
                if (eventId != null) {
                    return new Intake(new OrderEvent(eventId, "OrderCreated", id, correlationId, traceparent), false);
                }
            }
            try (PreparedStatement s = c.prepareStatement(FIND_KEY)) {
                s.setString(1, idempotencyKey);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new ApiException(409, "idempotency_conflict",
                                "Idempotency-Key expired while this request ran; retry it");
                    }
                    if (!rs.getString("request_hash").equals(hash)) {
                        throw new ApiException(422, "idempotency_key_reused",
                                "Idempotency-Key was already used with a different order body");
                    }
                    return new Intake(new OrderEvent(0, "OrderCreated", rs.getObject("order_id", UUID.class),
                            rs.getString("correlation_id")), true);
                }
            }
        }
    }

    private static long eventId(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Long eventIdOrNull(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws ApiException 404 when there is no such order */
    public OrderView find(UUID id) throws SQLException {
        List<OrderView> found = queryOrders(SELECT_ORDER, id);
        if (found.isEmpty()) {
            throw orderNotFound(id);
        }
        return found.get(0);
    }

    private static ApiException orderNotFound(UUID id) {
        return new ApiException(404, "order_not_found", "no order " + id);
    }

    /** Newest first; {@code status} may be null for all orders. */
    public List<OrderView> list(OrderStatus status, int limit) throws SQLException {
        return status == null
                ? queryOrders(LIST_ORDERS, limit)
                : queryOrders(LIST_ORDERS_BY_STATUS, status.name(), limit);
    }

    /** DLQ entries, newest first. */
    public List<DlqEntry> deadLetters(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LIST_DLQ)) {
            s.setInt(1, limit);
            List<DlqEntry> entries = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new DlqEntry(rs.getString(1), rs.getString(2), rs.getInt(3),
                            Jdbc.iso(rs.getObject(4, OffsetDateTime.class)), rs.getString(5)));
                }
            }
            return entries;
        }
    }

    /**
     * Sends a dead-lettered order back to PENDING with a fresh attempt budget and a new outbox event.
     * Only emits intent: the worker does the processing. The event carries the reprocess request's
     * {@code traceparent} (null without tracing).
     *
     * @throws ApiException 404 when the order has no DLQ entry, 409 when it is not FAILED
     */
    public OrderEvent reprocess(UUID orderId, String traceparent) throws SQLException {
        ReprocessResult result = reprocessAll(List.of(orderId), traceparent).results().get(0);
        if (result.isReprocessed()) {
            return result.event();
        }
        throw new ApiException(ReprocessResult.NOT_FOUND.equals(result.result()) ? 404 : 409, result.result(),
                result.message());
    }

    /**
     * {@link #reprocess} for several orders in ONE statement (atomic: all of it or nothing is written);
     * each id is reprocessed or refused on its own, and the answer has one result per id, in order. The new
     * events carry the request's {@code traceparent} (null without tracing).
     */
    public BulkReprocess reprocessAll(List<UUID> orderIds, String traceparent) throws SQLException {
        List<ReprocessResult> results = new ArrayList<>(orderIds.size());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(REPROCESS)) {
            s.setArray(1, Jdbc.uuidArray(c, orderIds));
            s.setString(2, traceparent);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("order_id", UUID.class);
                    long eventId = rs.getLong("event_id");
                    if (!rs.wasNull()) {
                        results.add(new ReprocessResult(id.toString(), ReprocessResult.REPROCESSED, null,
                                new OrderEvent(eventId, "OrderReprocessed", id, rs.getString("correlation_id"),
                                        traceparent)));
                    } else if (!rs.getBoolean("had_entry")) {
                        results.add(new ReprocessResult(id.toString(), ReprocessResult.NOT_FOUND,
                                "no DLQ entry for order " + id, null));
                    } else {
                        results.add(new ReprocessResult(id.toString(), ReprocessResult.INVALID_STATE,
                                "order " + id + " is not FAILED", null));
                    }
                }
            }
        }
        return BulkReprocess.of(results);
    }

    /**
     * The order's transitions, oldest first.
     *
     * @throws ApiException 404 when there is no such order
     */
    public List<TransitionView> transitions(UUID orderId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(TRANSITIONS)) {
            s.setObject(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw orderNotFound(orderId);
                }
                List<TransitionView> history = new ArrayList<>();
                do {
                    rs.getLong("id");
                    if (!rs.wasNull()) {
                        history.add(new TransitionView(Jdbc.iso(rs.getObject("at", OffsetDateTime.class)),
                                rs.getString("from_status"), rs.getString("to_status"), rs.getInt("attempt"),
                                rs.getString("worker_id"), rs.getString("reason")));
                    }
                } while (rs.next());
                return history;
            }
        }
    }

    /** Newest first; {@code status} and {@code correlationId} may be null for any. */
    public List<OrderView> list(OrderStatus status, int limit, String correlationId) throws SQLException {
        return correlationId == null ? list(status, limit) : listByCorrelation(correlationId, status, limit);
    }

    /** Orders with this correlation id, newest first; {@code status} may be null for all. */
    public List<OrderView> listByCorrelation(String correlationId, OrderStatus status, int limit) throws SQLException {
        return status == null
                ? queryOrders(LIST_ORDERS_BY_CORRELATION, correlationId, limit)
                : queryOrders(LIST_ORDERS_BY_CORRELATION_AND_STATUS, correlationId, status.name(), limit);
    }

    /** Counts for the console's overview: orders by status, the outbox backlog and its oldest age, the DLQ. */
    public PlatformStats stats() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(STATS);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            Map<String, Long> orders = new LinkedHashMap<>();
            for (OrderStatus status : OrderStatus.values()) {
                orders.put(status.name(), rs.getLong(status.name().toLowerCase(java.util.Locale.ROOT)));
            }
            orders.put("total", rs.getLong("total"));
            return new PlatformStats(Jdbc.iso(rs.getObject("at", OffsetDateTime.class)), orders,
                    new PlatformStats.Outbox(rs.getLong("backlog"), rs.getDouble("oldest_seconds")), rs.getLong("dlq"));
        }
    }

    private List<OrderView> queryOrders(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            Jdbc.setParams(s, params);
            List<OrderView> orders = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    orders.add(new OrderView(rs.getString("id"), rs.getString("status"), rs.getString("customer_id"),
                            rs.getString("currency"), rs.getString("items"), rs.getBigDecimal("total"),
                            rs.getInt("retry_count"), rs.getString("failure_reason"), rs.getString("correlation_id"),
                            Jdbc.iso(rs.getObject("created_at", OffsetDateTime.class)),
                            Jdbc.iso(rs.getObject("updated_at", OffsetDateTime.class))));
                }
            }
            return orders;
        }
    }
}
