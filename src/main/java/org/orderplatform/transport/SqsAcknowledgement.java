package org.orderplatform.transport;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.orderplatform.domain.OrderEvent;
import org.orderplatform.domain.OrderStatus;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.worker.OrderWorker;
import org.orderplatform.worker.WorkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;

import java.sql.SQLException;

/**
 * What the sqs worker does with a message once it knows the outcome. The consumer deletes a message only
 * when {@link Sqs2Constants#SQS_DELETE_FILTERED} is set: after its order reached a final state for this
 * attempt (or was already final: a duplicate). A retry leaves it in the queue, invisible for the backoff,
 * so the retry is as durable as the queue. A message not acknowledged (poison, or a failure of this
 * worker) comes back after the visibility timeout and, after maxReceiveCount, lands in the redrive DLQ.
 */
public class SqsAcknowledgement {
    private static final Logger LOG = LoggerFactory.getLogger(SqsAcknowledgement.class);
    /** SQS caps visibility at 12 hours. */
    private static final int MAX_VISIBILITY_SECONDS = 43_200;

    private final SqsClient sqs;
    private final String queueUrl;
    private final WorkStore store;
    private final OrderMetrics metrics;

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

    /** The order reached a final state: delete the message. */
    public void done(Exchange exchange) {
        exchange.setProperty(Sqs2Constants.SQS_DELETE_FILTERED, true);
        metrics.sqsDeleted();
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
