package org.orderplatform.api;

/**
 * One row of an order's history ({@code GET /orders/{orderId}/transitions}): when, from which status to
 * which, the attempt it belonged to, who made it (a worker id, a recovery, or null for an operator's
 * reprocess) and why (the failure, or null for a completion).
 */
public record TransitionView(String at, String from, String to, int attempt, String worker, String reason) {
}
