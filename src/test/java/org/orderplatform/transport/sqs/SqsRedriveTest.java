package org.orderplatform.transport.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the queue's redrive must relate to the retries, without Camel or SQS. */
class SqsRedriveTest {

    @Test
    void the_receive_count_must_exceed_the_attempts() {
        assertThat(new SqsRedrive(6, 5, 600, 30, 300_000).maxReceiveCount()).isEqualTo(6);
        assertThatThrownBy(() -> new SqsRedrive(5, 5, 600, 30, 300_000))
                .hasMessageContaining("orders.sqs.max-receive-count (5) must exceed orders.retry.max-attempts (5)");
    }

    @Test
    void redrive_waits_longer_than_visibility_plus_the_longest_backoff_rounded_up() {
        new SqsRedrive(6, 5, 332, 30, 300_001);
        assertThatThrownBy(() -> new SqsRedrive(6, 5, 331, 30, 300_001))
                .hasMessageContaining("orders.sqs.redrive-after-seconds (331) must exceed")
                .hasMessageContaining("(30 + 301 s)");
    }
}
