package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.infra.Jdbc;
import org.orderplatform.infra.SqlStatement;

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

    // the statements, one file each in src/main/resources/sql/ (see SqlStatement)
    private static final SqlStatement INSERT_ORDER_WITH_EVENT = SqlStatement.load("insert-order-with-event");
    private static final SqlStatement INSERT_ORDER_WITH_EVENT_AND_KEY =
            SqlStatement.load("insert-order-with-event-and-key");
    private static final SqlStatement FIND_KEY = SqlStatement.load("find-idempotency-key");
    private static final SqlStatement FIND_ORDER = SqlStatement.load("find-order");
    private static final SqlStatement LIST_ORDERS = SqlStatement.load("list-orders");
    private static final SqlStatement LIST_ORDERS_BY_STATUS = SqlStatement.load("list-orders-by-status");
    private static final SqlStatement LIST_ORDERS_BY_CORRELATION = SqlStatement.load("list-orders-by-correlation");
    private static final SqlStatement LIST_ORDERS_BY_CORRELATION_AND_STATUS =
            SqlStatement.load("list-orders-by-correlation-and-status");
    private static final SqlStatement LIST_DLQ = SqlStatement.load("list-dlq");
    private static final SqlStatement REPROCESS = SqlStatement.load("reprocess-orders");
    private static final SqlStatement TRANSITIONS = SqlStatement.load("order-transitions");
    private static final SqlStatement STATS = SqlStatement.load("platform-stats");

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
                try (PreparedStatement s = INSERT_ORDER_WITH_EVENT.prepare(c)) {
                    INSERT_ORDER_WITH_EVENT.bind(s, id, order.customerId(), order.currency(), itemsJson, order.total(),
                            correlationId, traceparent);
                    return new Intake(new OrderEvent(eventId(s), "OrderCreated", id, correlationId, traceparent), false);
                }
            }
            String hash = sha256(mapper.writeValueAsString(order));
            try (PreparedStatement s = INSERT_ORDER_WITH_EVENT_AND_KEY.prepare(c)) {
                INSERT_ORDER_WITH_EVENT_AND_KEY.bind(s, idempotencyKey, hash, id, correlationId,
                        order.customerId(), order.currency(), itemsJson, order.total(), traceparent);
                Long eventId = eventIdOrNull(s);
                if (eventId != null) {
                    return new Intake(new OrderEvent(eventId, "OrderCreated", id, correlationId, traceparent), false);
                }
            }
            try (PreparedStatement s = FIND_KEY.prepare(c)) {
                FIND_KEY.bind(s, idempotencyKey);
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
        List<OrderView> found = queryOrders(FIND_ORDER, id);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = LIST_DLQ.prepare(c)) {
            LIST_DLQ.bind(s, limit);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = REPROCESS.prepare(c)) {
            REPROCESS.bind(s, Jdbc.uuidArray(c, orderIds), traceparent);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = TRANSITIONS.prepare(c)) {
            TRANSITIONS.bind(s, orderId);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = STATS.prepare(c);
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

    private List<OrderView> queryOrders(SqlStatement sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = sql.prepare(c)) {
            sql.bind(s, params);
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
