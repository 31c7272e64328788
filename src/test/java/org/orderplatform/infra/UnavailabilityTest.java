package org.orderplatform.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one classification of "cannot be reached", for the API's 503 and the polling routes' reports. */
class UnavailabilityTest {

    @Test
    void a_lost_connection_anywhere_in_the_chain_is_the_database_unavailable() {
        assertThat(Unavailability.ofDatabase(new RuntimeException(new SQLTransientConnectionException("pool")))).isTrue();
        assertThat(Unavailability.ofDatabase(new SQLException("gone", "08006"))).isTrue();
        assertThat(Unavailability.ofDatabase(new SQLException("shutting down", "57P01"))).isTrue();
        assertThat(Unavailability.ofDatabase(new SQLException("syntax", "42601"))).isFalse();
        assertThat(Unavailability.ofDatabase(new IOException("reset"))).isFalse();
    }

    @Test
    void io_and_the_aws_client_count_only_where_sqs_may_be_the_cause() {
        assertThat(Unavailability.ofDatabaseOrSqs(new IOException("reset"))).isTrue();
        assertThat(Unavailability.ofDatabaseOrSqs(new IllegalStateException(SdkClientException.create("timeout")))).isTrue();
        assertThat(Unavailability.ofDatabaseOrSqs(new SQLException("gone", "08006"))).isTrue();
        assertThat(Unavailability.ofDatabaseOrSqs(new IllegalArgumentException("bug"))).isFalse();
    }
}
