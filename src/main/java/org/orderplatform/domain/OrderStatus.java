package org.orderplatform.domain;

/** The states of an order. PROCESSED is final; FAILED waits for an operator (reprocess). */
public enum OrderStatus {
    PENDING, PROCESSING, PROCESSED, FAILED
}
