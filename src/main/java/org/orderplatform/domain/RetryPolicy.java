package org.orderplatform.domain;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable business retries: {@code maxAttempts} counts every attempt including the first; the delay
 * before attempt n+1 is {@code initialDelay * multiplier^(n-1)}, capped at {@code maxDelay}, with up to
 * 10 % jitter added so that failed batches do not come back in lock-step. The delay never drops below
 * the un-jittered backoff.
 */
public record RetryPolicy(int maxAttempts, long initialDelayMs, double multiplier, long maxDelayMs) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("orders.retry.max-attempts must be >= 1, was " + maxAttempts);
        }
        if (initialDelayMs < 0 || maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException("orders.retry delays must satisfy 0 <= initial-delay-ms <= max-delay-ms");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("orders.retry.multiplier must be >= 1.0, was " + multiplier);
        }
    }

    /** Whether another attempt may follow the failed attempt number {@code attempt} (1-based). */
    public boolean hasAttemptsLeft(int attempt) {
        return attempt < maxAttempts;
    }

    /** The backoff before the attempt that follows failed attempt number {@code attempt}, without jitter. */
    public Duration baseDelay(int attempt) {
        double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(delay, maxDelayMs));
    }

    /** The backoff with jitter: between the base delay and 10 % above it, still capped at the maximum. */
    public Duration delayAfter(int attempt) {
        long base = baseDelay(attempt).toMillis();
        long jitter = base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 10 + 1);
        return Duration.ofMillis(Math.min(base + jitter, Math.max(base, maxDelayMs)));
    }
}
