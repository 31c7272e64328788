package org.orderplatform.transport.inprocess;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.orderplatform.domain.RetryPolicy;
import org.orderplatform.infra.Settings;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.worker.WorkerConfiguration;

import javax.sql.DataSource;

/** The in-process transport (routes/inprocess/): events on a bounded in-memory queue, recovered from the database. */
public final class InprocessConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        registry.bind("inprocessRecovery", new InprocessRecovery(registry.lookupByNameAndType("dataSource", DataSource.class),
                registry.lookupByNameAndType("workerId", String.class), WorkerConfiguration.lockTimeout(settings),
                settings.integer("orders.inprocess.queue-size", 1, 10_000_000),
                registry.lookupByNameAndType("retryPolicy", RetryPolicy.class).maxAttempts(),
                registry.lookupByNameAndType("orderMetrics", OrderMetrics.class)));
    }
}
