package org.orderplatform.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.Jdbc;
import org.orderplatform.observability.OrderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox relay of the sqs transport: claims outbox rows (SKIP LOCKED, so several API instances can
 * relay at once), turns them into SQS batch requests with the correlation id (and, with tracing on, the
 * event's traceparent) as message attributes, and marks as relayed only the entries SQS accepted. A failed
 * send leaves the rows LOCKED; stale-lock recovery returns them to PENDING and they are sent again
 * (at-least-once: workers drop duplicates).
 */
public class SqsRelay {
    public static final String CORRELATION_ATTRIBUTE = "correlationId";
    /** The W3C name, as OpenTelemetry's SQS instrumentations use it; the consumer gets it as a header of that name. */
    public static final String TRACEPARENT_ATTRIBUTE = "traceparent";
    private static final int SQS_BATCH_LIMIT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(SqsRelay.class);

    private static final String CLAIM = """
            WITH ready AS (
                SELECT id FROM outbox
                 WHERE status = 'PENDING' AND next_attempt_at <= now()
                 ORDER BY next_attempt_at, id
                 LIMIT ?
                 FOR UPDATE SKIP LOCKED)
            UPDATE outbox e SET status = 'LOCKED', locked_by = ?, locked_at = now()
              FROM ready WHERE e.id = ready.id
            RETURNING e.id, e.event_type, e.order_id, e.correlation_id, e.traceparent""";

    private static final String MARK_RELAYED = """
            UPDATE outbox SET status = 'DONE', done_at = now()
             WHERE id = ANY(?) AND status = 'LOCKED' AND locked_by = ?""";

    private static final String RELEASE = """
            UPDATE outbox SET status = 'PENDING', locked_by = NULL, locked_at = NULL
             WHERE id = ANY(?) AND status = 'LOCKED' AND locked_by = ?""";

    /**
     * Orders the queue should have delivered long ago: PENDING, untouched for the redrive delay, with no
     * event waiting in the outbox and none relayed within that delay. Their message is gone (an SQS that
     * lost its messages, like the in-memory embedded ElasticMQ when its process dies, or a message purged
     * or moved to the redrive DLQ). A new OrderRedriven event sends them again, in the trace of the order's last
     * event while that row is kept (orders.outbox.retention); should the old message
     * still turn up, the worker's guarded start makes the copy harmless.
     */
    private static final String REDRIVE = """
            WITH stranded AS (
                SELECT o.id, o.correlation_id FROM orders o
                 WHERE o.status = 'PENDING' AND o.updated_at < now() - make_interval(secs => ?)
                   AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_id = o.id
                                     AND (e.status <> 'DONE' OR e.done_at > now() - make_interval(secs => ?)))
                 ORDER BY o.updated_at
                 LIMIT ?
                 FOR UPDATE OF o SKIP LOCKED)
            INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
            SELECT id, 'OrderRedriven',
                   jsonb_build_object('type', 'OrderRedriven', 'orderId', id, 'correlationId', correlation_id),
                   correlation_id,
                   (SELECT e.traceparent FROM outbox e WHERE e.order_id = stranded.id ORDER BY e.id DESC LIMIT 1)
              FROM stranded
            RETURNING id""";

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final String relayId;
    private final String queueUrl;
    private final OrderMetrics metrics;
    private final long redriveAfterSeconds;

    public SqsRelay(DataSource dataSource, ObjectMapper mapper, String relayId, String queueUrl, OrderMetrics metrics,
                    long redriveAfterSeconds) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.relayId = relayId;
        this.queueUrl = queueUrl;
        this.metrics = metrics;
        this.redriveAfterSeconds = redriveAfterSeconds;
    }

    /** Writes a new outbox event for up to {@code limit} stranded orders (see REDRIVE); returns how many. */
    public int redriveStranded(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(REDRIVE)) {
            Jdbc.setParams(s, redriveAfterSeconds, redriveAfterSeconds, limit);
            int count = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    count++;
                }
            }
            if (count > 0) {
                LOG.warn("{} PENDING orders had no event in the outbox or the queue for {} s (an SQS that lost its "
                        + "messages): sent again", count, redriveAfterSeconds);
            }
            return count;
        }
    }

    /** Claims up to {@code limit} events for relaying. */
    public List<OrderEvent> claim(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM)) {
            Jdbc.setParams(s, limit, relayId);
            List<OrderEvent> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new OrderEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return events;
        }
    }

    /** The claimed events as SQS batch requests of at most 10; each entry's id is its outbox event id. */
    public List<SendMessageBatchRequest> batches(List<OrderEvent> events) throws JsonProcessingException {
        List<SendMessageBatchRequest> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += SQS_BATCH_LIMIT) {
            batches.add(batch(events.subList(from, Math.min(events.size(), from + SQS_BATCH_LIMIT))));
        }
        return batches;
    }

    private SendMessageBatchRequest batch(List<OrderEvent> events) throws JsonProcessingException {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(events.size());
        for (OrderEvent event : events) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Long.toString(event.eventId()))
                    .messageBody(mapper.writeValueAsString(event))
                    .messageAttributes(attributes(event))
                    .build());
        }
        return SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build();
    }

    /**
     * The message attributes: the correlation id, and the trace context when the event has one (tracing on).
     * SQS allows 10 per message. These are all: the request is built here, so Camel adds none of its headers.
     */
    private static Map<String, MessageAttributeValue> attributes(OrderEvent event) {
        MessageAttributeValue correlation = string(event.correlationId());
        return event.traceparent() == null
                ? Map.of(CORRELATION_ATTRIBUTE, correlation)
                : Map.of(CORRELATION_ATTRIBUTE, correlation, TRACEPARENT_ATTRIBUTE, string(event.traceparent()));
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** Marks the entries SQS accepted as relayed and releases the ones it refused for the next round. */
    public void settle(SendMessageBatchResponse response) throws SQLException {
        List<Long> sent = response.successful().stream().map(e -> Long.parseLong(e.id())).toList();
        List<Long> refused = response.failed().stream().map(e -> Long.parseLong(e.id())).toList();
        metrics.relayed(sent.size(), refused.size());
        try (Connection c = dataSource.getConnection()) {
            update(c, MARK_RELAYED, sent);
            if (!refused.isEmpty()) {
                LOG.warn("SQS refused {} of {} events ({}); they will be sent again", refused.size(),
                        refused.size() + sent.size(), response.failed().get(0).message());
                update(c, RELEASE, refused);
            }
        }
    }

    private void update(Connection c, String sql, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Jdbc.setParams(s, Jdbc.bigintArray(c, ids), relayId);
            s.executeUpdate();
        }
    }
}
