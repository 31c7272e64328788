package org.orderplatform.infra;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQS client's timeouts must leave room for a long poll, or every receive of an empty queue fails. */
class SqsTimeoutsTest {

    @Test
    void the_defaults_fit_the_default_twenty_second_long_poll() {
        assertThat(SqsQueues.Timeouts.DEFAULTS.checkedAgainst(20)).isSameAs(SqsQueues.Timeouts.DEFAULTS);
    }

    @Test
    void an_attempt_or_socket_timeout_shorter_than_the_long_poll_fails_the_start() {
        var shortAttempt = new SqsQueues.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(25), Duration.ofSeconds(20),
                Duration.ofSeconds(60));
        assertThatThrownBy(() -> shortAttempt.checkedAgainst(20)).hasMessageContaining("orders.sqs.api-call-attempt-timeout-ms");
        var shortSocket = new SqsQueues.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(25),
                Duration.ofSeconds(60));
        assertThatThrownBy(() -> shortSocket.checkedAgainst(20)).hasMessageContaining("orders.sqs.socket-timeout-ms");
        var shortCall = new SqsQueues.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(25), Duration.ofSeconds(25),
                Duration.ofSeconds(10));
        assertThatThrownBy(() -> shortCall.checkedAgainst(20)).hasMessageContaining("orders.sqs.api-call-timeout-ms");
        assertThat(shortSocket.checkedAgainst(1)).isSameAs(shortSocket);
    }
}
