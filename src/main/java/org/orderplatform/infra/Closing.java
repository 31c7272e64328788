package org.orderplatform.infra;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;

/**
 * The one way resources are closed: a service that closes what it is given when Camel stops. Camel stops
 * services in the reverse order of {@link CamelContext#addService}, so where a resource is added decides when
 * it closes (the pool before the embedded database, the SQS client after the acknowledgement's last deletes).
 */
public final class Closing implements Service {
    private final AutoCloseable resource;

    private Closing(AutoCloseable resource) {
        this.resource = resource;
    }

    /** Closes {@code resource} when the context stops, after every service added later. */
    public static void onStop(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new Closing(resource), true, true);
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        try {
            resource.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + resource, e);
        }
    }
}
