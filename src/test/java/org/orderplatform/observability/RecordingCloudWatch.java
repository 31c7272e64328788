package org.orderplatform.observability;

import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CloudWatch client that records the PutMetricData requests instead of sending them: what the service would
 * publish, read without an AWS account.
 */
public final class RecordingCloudWatch implements CloudWatchAsyncClient {
    private final List<PutMetricDataRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
        requests.add(request);
        return CompletableFuture.completedFuture(PutMetricDataResponse.builder().build());
    }

    public List<PutMetricDataRequest> requests() {
        return List.copyOf(requests);
    }

    public List<MetricDatum> data() {
        return requests.stream().flatMap(r -> r.metricData().stream()).toList();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        closed = true;
    }
}
