package org.orderplatform.worker;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The business step, simulated: it takes {@code orders.processing.delay-ms} and fails with probability
 * {@code orders.processing.failure-probability}. A real service would charge, reserve stock or call a
 * partner here; it must be idempotent per (order, attempt), since delivery is at-least-once.
 */
public class SimulatedProcessing {
    private final long delayMs;
    private final double failureProbability;

    public SimulatedProcessing(long delayMs, double failureProbability) {
        this.delayMs = delayMs;
        this.failureProbability = failureProbability;
    }

    public void process(WorkItem item) throws InterruptedException {
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
        if (failureProbability > 0 && ThreadLocalRandom.current().nextDouble() < failureProbability) {
            throw new ProcessingFailedException("simulated processing failure on attempt " + item.attempt());
        }
    }
}
