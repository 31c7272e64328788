package org.orderplatform;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.orderplatform.infra.Settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the route files from {@code orders.role} and {@code orders.transport}: switching transport is
 * configuration, never an {@code if} in business code. The folders under {@code routes/}:
 * <pre>
 *   common/              error handling and maintenance, in every process
 *   api/                 REST API and intake                      (role api, all)
 *   worker/              the worker and the dead-letter channel   (role worker, all)
 *   &lt;transport&gt;/api/      what intake hands events to             (role api, all)
 *   &lt;transport&gt;/worker/   where the worker takes events from      (role worker, all)
 * </pre>
 */
public final class RouteSelection extends MainListenerSupport {

    /** Which part of the platform this process runs. */
    public enum Role { ALL, API, WORKER }

    /** How events travel from intake to the worker. */
    public enum Transport { INPROCESS, OUTBOX, SQS }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Settings settings = new Settings(main.getCamelContext());
        Role role = settings.choice("orders.role", Role.class);
        Transport transport = settings.choice("orders.transport", Transport.class);
        main.configure().setRoutesIncludePattern(includePattern(role, transport));
    }

    static String includePattern(Role role, Transport transport) {
        if (transport == Transport.INPROCESS && role != Role.ALL) {
            throw new IllegalStateException("orders.transport=inprocess needs orders.role=all (its events live in one JVM), "
                    + "was orders.role=" + role.name().toLowerCase());
        }
        String t = transport.name().toLowerCase();
        List<String> folders = new ArrayList<>(List.of("common"));
        if (role != Role.WORKER) {
            folders.add("api");
            folders.add(t + "/api");
        }
        if (role != Role.API) {
            folders.add("worker");
            folders.add(t + "/worker");
        }
        return String.join(",", folders.stream().map(f -> "classpath:routes/" + f + "/*.camel.yaml").toList());
    }
}
