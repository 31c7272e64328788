package org.orderplatform.infra;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

import java.net.URI;

/**
 * Where the service's AWS clients (SQS, CloudWatch) send their requests and as whom they sign them.
 * <p>
 * {@code endpoint} null means AWS itself: the SDK resolves the service's real endpoint from the region, so
 * no hand-written URL can point a task at the wrong place. Credentials then come from the SDK's default
 * chain only (environment, profile, web identity, the ECS task role, the EC2 instance profile): a task that
 * has none fails on its first call, it never sends unsigned requests to AWS. Only an endpoint override
 * (ElasticMQ, LocalStack) falls back to unsigned requests, which ElasticMQ accepts.
 */
public record AwsAccess(URI endpoint, Region region, AwsCredentialsProvider credentials) {

    /**
     * @param endpoint  the endpoint override, or null for AWS
     * @param region    orders.sqs.region, or null for the SDK's region chain
     * @param accessKey static access key, or null for the default credentials chain
     * @param chain     the SDK's region chain ({@code DefaultAwsRegionProviderChain}); a parameter so that
     *                  a test can stand in for the machine's environment
     */
    public static AwsAccess of(String endpoint, String region, String accessKey, String secretKey, AwsRegionProvider chain) {
        URI uri = endpoint == null ? null : URI.create(endpoint);
        return new AwsAccess(uri, region(region, chain), credentials(accessKey, secretKey, uri == null));
    }

    /** The configured region, else the SDK's chain (AWS_REGION, which ECS sets; the profile; instance metadata). */
    static Region region(String configured, AwsRegionProvider chain) {
        if (configured != null) {
            return Region.of(configured);
        }
        try {
            return chain.getRegion();
        } catch (SdkClientException e) {
            throw new IllegalStateException("orders.sqs.region is empty and the AWS SDK found no region either "
                    + "(AWS_REGION, AWS_DEFAULT_REGION, the profile, instance metadata): set orders.sqs.region "
                    + "(ORDERS_SQS_REGION) to the region of the queue (" + e.getMessage() + ")", e);
        }
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey, boolean aws) {
        if (accessKey != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey == null ? "" : secretKey));
        }
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        return aws ? chain : AwsCredentialsProviderChain.of(chain, AnonymousCredentialsProvider.create());
    }

    /** Whether the clients talk to AWS itself (no endpoint override). */
    public boolean aws() {
        return endpoint == null;
    }
}
