package org.orderplatform.transport;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.service.ServiceSupport;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.worker.OrderWorker;
import org.orderplatform.worker.WorkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sqs worker does with a message once it knows the outcome. A message is deleted only after its
 * order reached a final state for this attempt (or was already final: a duplicate). A retry leaves it in
 * the queue, invisible for the backoff, so the retry is as durable as the queue. A message not
 * acknowledged (poison, or a failure of this worker) comes back after the visibility timeout and, after
 * maxReceiveCount, lands in the redrive DLQ.
 * <p>
 * Deletes go out in batches ({@code DeleteMessageBatch} of up to 10): when ten are waiting, or from the
 * sqs-acknowledgements route after at most orders.sqs.delete-interval-ms, and when Camel stops. One call
 * per message cost the worker about half of its CPU and the embedded SQS server most of its own. A delete
 * that never happens (a crash in between, a failed call) only brings the message back: its order is final,
 * so the worker's guarded start drops it as a duplicate and deletes it then.
 */
public class SqsAcknowledgement extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(SqsAcknowledgement.class);
    /** SQS caps visibility at 12 hours. */
    private static final int MAX_VISIBILITY_SECONDS = 43_200;
    private static final int SQS_BATCH_LIMIT = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final WorkStore store;
    private final OrderMetrics metrics;
    /** Receipt handles of messages to delete, at most {@value #SQS_BATCH_LIMIT}; guarded by this. */
    private List<String> pending = new ArrayList<>(SQS_BATCH_LIMIT);

    public SqsAcknowledgement(SqsClient sqs, String queueUrl, WorkStore store, OrderMetrics metrics) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.store = store;
        this.metrics = metrics;
    }

    /** A message arrived (counted before anything can fail, so that poison messages count too). */
    public void received() {
        metrics.sqsReceived();
    }

    /** The order reached a final state: delete the message (with the next batch). */
    public void done(Exchange exchange) {
        String receipt = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        List<String> full = null;
        synchronized (this) {
            pending.add(receipt);
            if (pending.size() == SQS_BATCH_LIMIT) {
                full = pending;
                pending = new ArrayList<>(SQS_BATCH_LIMIT);
            }
        }
        if (full != null) {
            delete(full);
        }
    }

    /** Deletes what is waiting (the sqs-acknowledgements route calls this every orders.sqs.delete-interval-ms). */
    public void flush() {
        List<String> waiting;
        synchronized (this) {
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

    /**
     * Nothing was started for this message: delete it when the order is already final (a duplicate);
     * leave it when another worker holds the order, so that it comes back if that worker dies.
     */
    public void duplicate(Exchange exchange) throws SQLException {
        OrderEvent event = exchange.getMessage().getBody(OrderEvent.class);
        OrderStatus status = store.status(event.orderId()).orElse(null);
        if (status == OrderStatus.PROCESSED || status == OrderStatus.FAILED) {
            LOG.debug("order {} is already {}: duplicate message deleted", event.orderId(), status);
            done(exchange);
        }
    }

    /** A retry was scheduled: keep the message, invisible until the backoff has passed. */
    public void retryLater(Exchange exchange) {
        long delayMs = exchange.getProperty(OrderWorker.RETRY_DELAY_MS, 0L, Long.class);
        int seconds = (int) Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, (delayMs + 999) / 1000));
        String receipt = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        sqs.changeMessageVisibility(ChangeMessageVisibilityRequest.builder()
                .queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout(seconds).build());
        metrics.sqsDelayed();
    }
}
