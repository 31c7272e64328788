package org.orderplatform.transport.sqs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One receive of the sqs worker (up to 10 messages) on its way through the batch: the receipt handle of each
 * message, which message carries each order started, and what SQS must be told when the batch ends: the
 * messages to delete (their order is final) and those to keep invisible for a retry backoff. Messages in
 * neither list (poison, unknown order, an order another worker holds, a lease lost) are left alone: they come
 * back after the visibility timeout.
 * <p>
 * The attempts of a batch run in parallel and record their outcome here, hence the synchronized methods.
 */
public final class SqsBatch {
    private final List<String> receipts;
    private final Map<UUID, String> carrierOf = new HashMap<>();
    private final List<String> deletes = new ArrayList<>();
    private final Map<String, Integer> delays = new LinkedHashMap<>();

    SqsBatch(List<String> receipts) {
        this.receipts = receipts;
    }

    /** The receipt handle of the message at {@code index} of the parsed events. */
    String receipt(int index) {
        return receipts.get(index);
    }

    /** The message at {@code index} carries the attempt started for {@code orderId}. */
    synchronized void carries(UUID orderId, int index) {
        carrierOf.put(orderId, receipts.get(index));
    }

    /** The receipt handle of the message that carries this order's attempt. */
    synchronized String carrierOf(UUID orderId) {
        String receipt = carrierOf.get(orderId);
        if (receipt == null) {
            throw new IllegalStateException("order " + orderId + " was not started by this batch");
        }
        return receipt;
    }

    synchronized void delete(String receipt) {
        deletes.add(receipt);
    }

    synchronized void delay(String receipt, int seconds) {
        delays.put(receipt, seconds);
    }

    synchronized List<String> deletes() {
        return List.copyOf(deletes);
    }

    synchronized Map<String, Integer> delays() {
        return Map.copyOf(delays);
    }

    int size() {
        return receipts.size();
    }
}
