package org.orderplatform.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.endpoints.SqsEndpointParams;
import software.amazon.awssdk.services.sqs.endpoints.SqsEndpointProvider;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the SQS client is built for AWS itself and for an endpoint override (no AWS can be reached here). */
class AwsAccessTest {
    private static final AwsRegionProvider NO_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    @Test
    void without_an_endpoint_the_sdk_resolves_the_regional_aws_endpoint_and_signs_with_the_default_chain() {
        AwsAccess access = AwsAccess.of(null, "eu-west-1", null, null, NO_REGION);
        try (SqsClient client = SqsQueues.client(access)) {
            var config = client.serviceClientConfiguration();
            assertThat(config.endpointOverride()).as("no endpoint override").isEmpty();
            assertThat(config.region()).isEqualTo(Region.EU_WEST_1);
            URI resolved = ((SqsEndpointProvider) config.endpointProvider().orElseThrow())
                    .resolveEndpoint(SqsEndpointParams.builder().region(config.region()).build()).join().url();
            assertThat(resolved).hasToString("https://sqs.eu-west-1.amazonaws.com");
            // the task role / instance profile; never the anonymous fallback ElasticMQ gets
            assertThat(access.credentials()).isInstanceOf(DefaultCredentialsProvider.class);
        }
    }

    @Test
    void an_endpoint_override_is_kept_and_may_fall_back_to_unsigned_requests() {
        AwsAccess access = AwsAccess.of("http://127.0.0.1:9324", "us-east-1", null, null, NO_REGION);
        try (SqsClient client = SqsQueues.client(access)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9324"));
            assertThat(access.credentials()).isInstanceOf(AwsCredentialsProviderChain.class);
        }
        assertThat(AwsAccess.of(null, "us-east-1", "key", "secret", NO_REGION).credentials())
                .isInstanceOf(StaticCredentialsProvider.class);
    }

    @Test
    void an_empty_region_comes_from_the_sdk_chain_or_fails_naming_the_property() {
        assertThat(AwsAccess.of(null, null, null, null, () -> Region.EU_CENTRAL_1).region()).isEqualTo(Region.EU_CENTRAL_1);
        assertThatThrownBy(() -> AwsAccess.of(null, null, null, null, NO_REGION))
                .hasMessageContaining("orders.sqs.region is empty")
                .hasMessageContaining("AWS_REGION");
    }
}
