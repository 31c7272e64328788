package org.orderplatform.transport.sqs;

/**
 * How the SQS queue's redrive and the platform's retries must relate. Every business retry is another receive
 * of the same message, so the queue's maxReceiveCount must exceed the attempts (or SQS moves a message to its
 * DLQ while the order still has attempts left); and the relay sends a message again only after it has been
 * invisible longer than the visibility timeout plus the longest retry backoff.
 */
public record SqsRedrive(int maxReceiveCount, int maxAttempts, int redriveAfterSeconds, int visibilitySeconds,
                         long maxRetryDelayMs) {

    public SqsRedrive {
        if (maxReceiveCount <= maxAttempts) {
            throw new IllegalStateException("orders.sqs.max-receive-count (" + maxReceiveCount + ") must exceed "
                    + "orders.retry.max-attempts (" + maxAttempts + "): every business retry is another "
                    + "receive of the same message, and the redrive policy would move it to the DLQ too early");
        }
        long maxRetryDelaySeconds = (maxRetryDelayMs + 999) / 1000;
        if (redriveAfterSeconds <= visibilitySeconds + maxRetryDelaySeconds) {
            throw new IllegalStateException("orders.sqs.redrive-after-seconds (" + redriveAfterSeconds + ") must exceed "
                    + "orders.sqs.visibility-timeout-seconds plus the longest retry backoff (" + visibilitySeconds + " + "
                    + maxRetryDelaySeconds + " s): a message that is merely invisible must not be sent again");
        }
    }
}
