package org.orderplatform.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(3, 1000, 2.0, 60_000);

    @Test
    void max_attempts_counts_the_first_attempt() {
        assertThat(policy.hasAttemptsLeft(1)).isTrue();
        assertThat(policy.hasAttemptsLeft(2)).isTrue();
        assertThat(policy.hasAttemptsLeft(3)).isFalse();
    }

    @Test
    void backoff_grows_exponentially_and_is_capped() {
        assertThat(policy.baseDelay(1)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.baseDelay(2)).isEqualTo(Duration.ofMillis(2000));
        assertThat(policy.baseDelay(3)).isEqualTo(Duration.ofMillis(4000));
        assertThat(policy.baseDelay(30)).isEqualTo(Duration.ofMillis(60_000));
    }

    @Test
    void jitter_adds_at_most_ten_percent_and_never_exceeds_the_cap() {
        for (int i = 0; i < 1000; i++) {
            long d = policy.delayAfter(2).toMillis();
            assertThat(d).isBetween(2000L, 2200L);
            assertThat(policy.delayAfter(40).toMillis()).isEqualTo(60_000L);
        }
    }

    @Test
    void nonsense_settings_are_refused_with_the_key_named() {
        assertThatThrownBy(() -> new RetryPolicy(0, 1, 2, 10)).hasMessageContaining("orders.retry.max-attempts");
        assertThatThrownBy(() -> new RetryPolicy(3, 10, 0.5, 10)).hasMessageContaining("orders.retry.multiplier");
        assertThatThrownBy(() -> new RetryPolicy(3, 100, 2, 10)).hasMessageContaining("max-delay-ms");
    }
}
