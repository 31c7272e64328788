package org.orderplatform.transport.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.service.ServiceSupport;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.worker.OrderWorker;
import org.orderplatform.worker.WorkItem;
import org.orderplatform.worker.WorkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the sqs worker does with the messages of one receive (up to 10, an {@link SqsBatch}) once it knows their
 * outcome. A message is deleted only after its order reached a final state for this attempt (or was already
 * final: a duplicate). A retry leaves it in the queue, invisible for the backoff, so the retry is as durable as
 * the queue. A message not acknowledged (poison, an unknown order, an order another worker holds, or a failure
 * of this worker) comes back after the visibility timeout and, after maxReceiveCount, lands in the redrive DLQ.
 * <p>
 * Nothing is told to SQS before the batch's outcomes are committed ({@link #settle}, after the batch's one
 * COMPLETE statement): a crash mid-batch deletes nothing, and what comes back finds its order either final
 * (dropped as a duplicate) or held by a lease that expires. Visibility changes go out as one
 * {@code ChangeMessageVisibilityBatch} per batch. Deletes go out as {@code DeleteMessageBatch} of up to 10: when
 * ten are waiting, or at most orders.sqs.delete-interval-ms after the first of fewer was acknowledged (a one-shot
 * flush scheduled only then: an idle worker runs nothing), and when Camel stops. A delete that never happens (a crash in between, a failed call) only brings the message
 * back: its order is final, so the worker's guarded start drops it as a duplicate and deletes it then.
 */
public class SqsAcknowledgement extends ServiceSupport {
    /** Exchange property: the {@link SqsBatch} the worker is running. */
    public static final String BATCH = "sqsBatch";

    private static final Logger LOG = LoggerFactory.getLogger(SqsAcknowledgement.class);
    /** SQS caps visibility at 12 hours. */
    private static final int MAX_VISIBILITY_SECONDS = 43_200;
    private static final int SQS_BATCH_LIMIT = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final ObjectMapper json;
    private final OrderMetrics metrics;
    /** Receipt handles of messages to delete, at most {@value #SQS_BATCH_LIMIT}; guarded by this. */
    private List<String> pending = new ArrayList<>(SQS_BATCH_LIMIT);
    /** A flush of {@link #pending} is scheduled; guarded by this. */
    private boolean flushScheduled;
    private final ScheduledExecutorService timer;
    private final long deleteIntervalMs;

    /**
     * @param timer            runs the flush of fewer than ten deletes, {@code deleteIntervalMs} after the first
     *                         of them (orders.sqs.delete-interval-ms)
     */
    public SqsAcknowledgement(SqsClient sqs, String queueUrl, ObjectMapper json, OrderMetrics metrics,
                              ScheduledExecutorService timer, long deleteIntervalMs) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.json = json;
        this.metrics = metrics;
        this.timer = timer;
        this.deleteIntervalMs = deleteIntervalMs;
    }

    /**
     * A receive's messages arrived (body: the Camel messages of one poll): counts them, reads the events and
     * opens the batch (exchange property {@value #BATCH}). A message that is no event is poison: it stays in
     * the queue, the others go on. Returns the events, with the trace context of their {@code traceparent}
     * attribute.
     */
    public List<OrderEvent> receive(List<Message> messages, Exchange exchange) {
        List<OrderEvent> events = new ArrayList<>(messages.size());
        List<String> receipts = new ArrayList<>(messages.size());
        for (Message message : messages) {
            metrics.sqsReceived();
            String receipt = message.getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
            try {
                OrderEvent event = json.readValue(message.getBody(String.class), OrderEvent.class);
                if (event.orderId() == null) {
                    throw new IOException("no orderId");
                }
                events.add(event.withTraceparent(message.getHeader("traceparent", String.class)));
                receipts.add(receipt);
            } catch (IOException | RuntimeException e) {
                LOG.warn("SQS message {} is not an order event ({}): left in the queue for its redrive DLQ",
                        message.getHeader(Sqs2Constants.MESSAGE_ID), e.getMessage());
            }
        }
        exchange.setProperty(BATCH, new SqsBatch(receipts));
        return events;
    }

    /**
     * What the batch's START found for each message: returns the attempts to run. A message whose order is
     * final is a duplicate, deleted with the batch; so is a second message of an order this batch started
     * (the first carries the attempt). A message naming no order is poison and one whose order another worker
     * holds comes back later: both stay in the queue.
     */
    public List<WorkItem> started(List<WorkStore.Start> starts, Exchange exchange) {
        SqsBatch batch = batch(exchange);
        List<WorkItem> work = new ArrayList<>(starts.size());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < starts.size(); i++) {
            WorkStore.Start start = starts.get(i);
            UUID orderId = start.event().orderId();
            if (start.item() != null && seen.add(orderId)) {
                batch.carries(orderId, i);
                work.add(start.item());
            } else if (start.item() != null || start.status() == OrderStatus.PROCESSED
                    || start.status() == OrderStatus.FAILED) {
                LOG.debug("order {} is {}: duplicate message deleted", orderId,
                        start.item() != null ? "started by another message of this batch" : start.status());
                batch.delete(batch.receipt(i));
            } else if (start.unknownOrder()) {
                LOG.warn("SQS message names unknown order {}: left in the queue for its redrive DLQ", orderId);
            } else {
                LOG.debug("order {} is {} and held by another worker: message left for later", orderId, start.status());
            }
        }
        return work;
    }

    /** The transport contract: a retry was scheduled; its message stays invisible until the backoff has passed. */
    public void retryLater(Exchange exchange) {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        Long delayMs = exchange.getProperty(OrderWorker.RETRY_DELAY_MS, Long.class);
        if (delayMs == null) {
            return; // the lease was lost: the order is another worker's, and so is the message
        }
        int seconds = (int) Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, (delayMs + 999) / 1000));
        SqsBatch batch = batch(exchange);
        batch.delay(batch.carrierOf(item.orderId()), seconds);
    }

    /** The transport contract: the order is dead-lettered, final: delete its message with the batch. */
    public void deadLettered(Exchange exchange) {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        SqsBatch batch = batch(exchange);
        batch.delete(batch.carrierOf(item.orderId()));
    }

    /**
     * The batch's outcomes are committed (body: the attempts its COMPLETE completed): delete the messages of
     * final orders, keep the retried ones invisible for their backoff, in one call each.
     */
    public void settle(List<WorkItem> completed, Exchange exchange) {
        SqsBatch batch = batch(exchange);
        for (WorkItem item : completed) {
            batch.delete(batch.carrierOf(item.orderId()));
        }
        Map<String, Integer> delays = batch.delays();
        if (!delays.isEmpty()) {
            changeVisibility(delays);
        }
        List<String> deletes = batch.deletes();
        if (!deletes.isEmpty()) {
            done(deletes);
        }
    }

    private void changeVisibility(Map<String, Integer> delays) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(delays.size());
        delays.forEach((receipt, seconds) -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(entries.size())).receiptHandle(receipt).visibilityTimeout(seconds).build()));
        ChangeMessageVisibilityBatchResponse response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                .entries(entries));
        metrics.sqsDelayed(response.successful().size());
        if (response.hasFailed() && !response.failed().isEmpty()) {
            // the retry is in the database: the message only comes back after the visibility timeout instead
            LOG.warn("SQS did not delay {} of {} retried messages ({}); they come back after the visibility timeout",
                    response.failed().size(), entries.size(), response.failed().get(0).message());
        }
    }

    /** Messages whose order is final: delete them (with the next full batch of deletes). */
    private void done(List<String> receipts) {
        List<List<String>> full = new ArrayList<>();
        boolean schedule = false;
        synchronized (this) {
            for (String receipt : receipts) {
                pending.add(receipt);
                if (pending.size() == SQS_BATCH_LIMIT) {
                    full.add(pending);
                    pending = new ArrayList<>(SQS_BATCH_LIMIT);
                }
            }
            if (!pending.isEmpty() && !flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        if (schedule) {
            timer.schedule(this::scheduledFlush, deleteIntervalMs, TimeUnit.MILLISECONDS);
        }
        full.forEach(this::delete);
    }

    private void scheduledFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            // the messages come back after the visibility timeout; their orders are final: dropped as duplicates
            LOG.warn("Could not delete acknowledged messages ({}); they come back as duplicates", e.getMessage());
        }
    }

    /** Deletes what is waiting: scheduled after orders.sqs.delete-interval-ms when fewer than ten wait, and on stop. */
    public void flush() {
        List<String> waiting;
        synchronized (this) {
            flushScheduled = false;
            if (pending.isEmpty()) {
                return;
            }
            waiting = pending;
            pending = new ArrayList<>(SQS_BATCH_LIMIT);
        }
        delete(waiting);
    }

    @Override
    protected void doStop() {
        try {
            flush();
        } catch (SdkException e) {
            LOG.warn("Could not delete the last acknowledged messages ({}); they come back as duplicates", e.getMessage());
        }
    }

    private void delete(List<String> receipts) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(receipts.get(i)).build());
        }
        DeleteMessageBatchResponse response = sqs.deleteMessageBatch(DeleteMessageBatchRequest.builder()
                .queueUrl(queueUrl).entries(entries).build());
        metrics.sqsDeleted(response.successful().size());
        if (response.hasFailed() && !response.failed().isEmpty()) {
            // e.g. a receipt handle that expired: the message comes back and is dropped as a duplicate
            LOG.debug("SQS did not delete {} of {} messages ({}); they come back as duplicates",
                    response.failed().size(), receipts.size(), response.failed().get(0).message());
        }
    }

    private static SqsBatch batch(Exchange exchange) {
        SqsBatch batch = exchange.getProperty(BATCH, SqsBatch.class);
        if (batch == null) {
            throw new IllegalStateException("no SQS batch on this exchange: the sqs transport's endpoints serve only "
                    + "the sqs-worker route");
        }
        return batch;
    }
}
