package org.orderplatform.worker;

/** The business step failed for this attempt. Retried durably with backoff until attempts run out. */
public class ProcessingFailedException extends RuntimeException {
    public ProcessingFailedException(String message) {
        super(message, null, false, false);
    }
}
