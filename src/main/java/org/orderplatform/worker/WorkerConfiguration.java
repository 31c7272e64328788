package org.orderplatform.worker;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.infra.PollSuccess;
import org.orderplatform.infra.Settings;
import org.orderplatform.observability.ObservabilityConfiguration;
import org.orderplatform.observability.OrderMetrics;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The worker concern: the retry policy, the work store, the processing step, stale-lock recovery and the worker
 * pool. Needs {@code dataSource}, {@code workerId}, {@code orderMetrics} (and {@code tracing} when on); binds
 * {@code retryPolicy}, {@code workStore}, {@code pollFailures} (and adds its route policy, {@link PollSuccess}),
 * {@code orderWorker}, {@code collectProcessed}, {@code staleLockRecovery} and {@code workerPool}.
 */
public final class WorkerConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        OrderMetrics metrics = registry.lookupByNameAndType("orderMetrics", OrderMetrics.class);
        RetryPolicy retryPolicy = new RetryPolicy(
                settings.integer("orders.retry.max-attempts", 1, 1000),
                settings.longValue("orders.retry.initial-delay-ms", 0),
                settings.decimal("orders.retry.multiplier", 1.0, 100.0),
                settings.longValue("orders.retry.max-delay-ms", 0));
        WorkStore workStore = new WorkStore(dataSource, registry.lookupByNameAndType("workerId", String.class));
        SimulatedProcessing processing = new SimulatedProcessing(
                settings.longValue("orders.processing.delay-ms", 0),
                settings.decimal("orders.processing.failure-probability", 0.0, 1.0));
        registry.bind("retryPolicy", retryPolicy);
        registry.bind("workStore", workStore);
        PollFailures pollFailures = new PollFailures(settings.longValue("orders.poll.report-interval-ms", 1000),
                settings.longValue("orders.poll.max-backoff-ms", 100));
        registry.bind("pollFailures", pollFailures);
        // the routes of poll-errors and message-errors report their successful runs through a route policy
        context.addRoutePolicyFactory(new PollSuccess(pollFailures));
        Duration lockTimeout = lockTimeout(settings);
        registry.bind("orderWorker", new OrderWorker(workStore, processing, retryPolicy, lockTimeout, metrics,
                ObservabilityConfiguration.tracing(context)));
        registry.bind("collectProcessed", new CollectProcessed());
        registry.bind("staleLockRecovery", new StaleLockRecovery(workStore, lockTimeout, retryPolicy, metrics));
        registry.bind("workerPool", context.getExecutorServiceManager().newFixedThreadPool(this, "order-worker",
                settings.integer("orders.worker.concurrency", 1, 1024)));
    }

    /** How long a claimed order stays leased to its worker (orders.outbox.lock-timeout-seconds). */
    public static Duration lockTimeout(Settings settings) {
        return Duration.ofSeconds(settings.integer("orders.outbox.lock-timeout-seconds", 1, 86_400));
    }
}
