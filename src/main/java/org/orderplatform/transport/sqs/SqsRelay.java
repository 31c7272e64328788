package org.orderplatform.transport.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.infra.Jdbc;
import org.orderplatform.infra.SqlStatement;
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

    // the statements, one file each in src/main/resources/sql/ (see SqlStatement)
    private static final SqlStatement CLAIM = SqlStatement.load("relay-claim");
    private static final SqlStatement MARK_RELAYED = SqlStatement.load("relay-mark-sent");
    private static final SqlStatement RELEASE = SqlStatement.load("relay-release");
    private static final SqlStatement REDRIVE = SqlStatement.load("relay-redrive-stranded");

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

    /** Writes a new outbox event for up to {@code limit} stranded orders (see sql/relay-redrive-stranded.sql); returns how many. */
    public int redriveStranded(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = REDRIVE.prepare(c)) {
            REDRIVE.bind(s, redriveAfterSeconds, limit);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = CLAIM.prepare(c)) {
            CLAIM.bind(s, limit, relayId);
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

    /**
     * Marks the entries SQS accepted as relayed and releases the ones it refused for the next round, in one
     * statement each for the whole claim, whose batches went out in parallel (routes/sqs/api/sqs-relay.camel.yaml).
     * A send that failed was reported by the route's poll-errors and has no answer here: its events stay LOCKED
     * until stale-lock recovery returns them (they may have reached SQS: at-least-once, workers drop duplicates).
     */
    public void settle(List<SendMessageBatchResponse> responses) throws SQLException {
        List<Long> sent = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        String refusal = null;
        for (SendMessageBatchResponse response : responses) {
            response.successful().forEach(e -> sent.add(Long.parseLong(e.id())));
            response.failed().forEach(e -> refused.add(Long.parseLong(e.id())));
            if (refusal == null && !response.failed().isEmpty()) {
                refusal = response.failed().get(0).message();
            }
        }
        metrics.relayed(sent.size(), refused.size());
        try (Connection c = dataSource.getConnection()) {
            update(c, MARK_RELAYED, sent);
            if (!refused.isEmpty()) {
                LOG.warn("SQS refused {} of {} events ({}); they will be sent again", refused.size(),
                        refused.size() + sent.size(), refusal);
                update(c, RELEASE, refused);
            }
        }
    }

    private void update(Connection c, SqlStatement sql, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = sql.prepare(c)) {
            sql.bind(s, Jdbc.bigintArray(c, ids), relayId);
            s.executeUpdate();
        }
    }
}
