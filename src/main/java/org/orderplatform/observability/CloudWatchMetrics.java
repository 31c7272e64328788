package org.orderplatform.observability;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The registry that pushes the service's own metrics to CloudWatch (orders.metrics.cloudwatch.enabled), for
 * AWS, where nothing scrapes {@code /observe/metrics}. The alarms and the dashboard in infra/aws name these
 * metrics, and a test checks them against what this registry sends:
 * <ul>
 *   <li>only {@code orders.*} meters: Camel's route metrics and the JVM's stay on the Prometheus registry
 *   (CloudWatch bills every metric);</li>
 *   <li>one dimension, {@code transport}; no histogram buckets (they would be one metric per bucket with an
 *   {@code le} dimension: CloudWatch computes its own percentiles of {@code .max} and {@code .avg});</li>
 *   <li>names as Micrometer's CloudWatch registry makes them, the meter's name plus a suffix: counters
 *   {@code .count} (per step), gauges {@code .value}, timers {@code .sum .count .avg .max} in seconds.</li>
 * </ul>
 * Closing the registry publishes the last, partial step.
 */
public final class CloudWatchMetrics {
    private static final String PREFIX = "orders.";
    private static final String DIMENSION = "transport";

    private CloudWatchMetrics() {
    }

    public static MeterRegistry registry(String namespace, Duration step, CloudWatchAsyncClient client) {
        CloudWatchConfig config = new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Duration step() {
                return step;
            }
        };
        MeterRegistry registry = new SecondsRegistry(config, client);
        registry.config()
                .meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith(PREFIX)))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.replaceTags(id.getTags().stream().filter(t -> t.getKey().equals(DIMENSION)).toList());
                    }

                    @Override
                    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                        // the Prometheus registry keeps the SLO buckets; here they would become extra metrics
                        return DistributionStatisticConfig.builder().serviceLevelObjectives(new double[0])
                                .percentiles(new double[0]).percentilesHistogram(false).build().merge(config);
                    }
                });
        return registry;
    }

    /** Timers in seconds, as the Prometheus side and the alarm thresholds use them (Micrometer's default: ms). */
    private static final class SecondsRegistry extends CloudWatchMeterRegistry {
        SecondsRegistry(CloudWatchConfig config, CloudWatchAsyncClient client) {
            super(config, Clock.SYSTEM, client);
        }

        @Override
        protected TimeUnit getBaseTimeUnit() {
            return TimeUnit.SECONDS;
        }
    }
}
