package org.orderplatform;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.orderplatform.api.ApiConfiguration;
import org.orderplatform.api.HttpServerConfiguration;
import org.orderplatform.infra.DatabaseConfiguration;
import org.orderplatform.infra.Settings;
import org.orderplatform.observability.ObservabilityConfiguration;
import org.orderplatform.transport.inprocess.InprocessConfiguration;
import org.orderplatform.transport.outbox.OutboxConfiguration;
import org.orderplatform.transport.sqs.SqsConfiguration;
import org.orderplatform.worker.WorkerConfiguration;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Chooses the route files and the configurations from {@code orders.role} and {@code orders.transport}: switching
 * transport is configuration, never an {@code if} in business code. A transport is one folder of routes plus one
 * {@link CamelConfiguration} (e.g. {@code routes/sqs/} and {@link SqsConfiguration}). The folders under {@code routes/}:
 * <pre>
 *   common/              error handling and maintenance, in every process
 *   api/                 REST API and intake                      (role api, all)
 *   worker/              the worker and the dead-letter channel   (role worker, all)
 *   &lt;transport&gt;/api/      what intake hands events to             (role api, all)
 *   &lt;transport&gt;/worker/   where the worker takes events from      (role worker, all)
 * </pre>
 */
public final class RouteSelection extends MainListenerSupport {

    /**
     * Which part of the platform this process runs ({@code orders.role}), read once here and handed to the
     * configurations that depend on it.
     */
    public enum Role {
        ALL, API, WORKER;

        /** Runs intake and the operator endpoints (api or all). */
        public boolean servesApi() {
            return this != WORKER;
        }

        /** Runs the worker (worker or all). */
        public boolean works() {
            return this != API;
        }
    }

    /**
     * How events travel from intake to the worker ({@code orders.transport}): its routes are routes/&lt;name&gt;/,
     * its beans one configuration, made for the role.
     */
    public enum Transport {
        INPROCESS(role -> new InprocessConfiguration()), OUTBOX(OutboxConfiguration::new), SQS(SqsConfiguration::new);

        private final Function<Role, CamelConfiguration> configuration;

        Transport(Function<Role, CamelConfiguration> configuration) {
            this.configuration = configuration;
        }

        /** The name in properties, route folders and metric tags: {@code sqs}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Settings settings = new Settings(main.getCamelContext());
        Role role = settings.choice("orders.role", Role.class);
        Transport transport = settings.choice("orders.transport", Transport.class);
        main.configure().setRoutesIncludePattern(includePattern(role, transport));
        // instances, not classes: Camel 4.18 runs @BindToRegistry of registered classes twice
        configurations(role, transport).forEach(main.configure()::addConfiguration);
    }

    /**
     * The concerns in the order they configure, each reading what the ones before it bound: the HTTP server first
     * (a taken port fails before anything starts), then the database (its embedded server is the first service
     * added, so it stops last), observability, the API, the worker, and the transport. Every role composes every
     * concern: routes/common/ (loaded in every role) calls answerFailure, pollFailures, orderWorker and
     * staleLockRecovery. Those that depend on the role or the transport get them typed, never the property again.
     */
    static List<CamelConfiguration> configurations(Role role, Transport transport) {
        return List.of(new HttpServerConfiguration(), new DatabaseConfiguration(), new ObservabilityConfiguration(transport),
                new ApiConfiguration(role), new WorkerConfiguration(), transport.configuration.apply(role));
    }

    static String includePattern(Role role, Transport transport) {
        if (transport == Transport.INPROCESS && role != Role.ALL) {
            throw new IllegalStateException("orders.transport=inprocess needs orders.role=all (its events live in one JVM), "
                    + "was orders.role=" + role.name().toLowerCase(Locale.ROOT));
        }
        String t = transport.key();
        List<String> folders = new ArrayList<>(List.of("common"));
        if (role.servesApi()) {
            folders.add("api");
            folders.add(t + "/api");
        }
        if (role.works()) {
            folders.add("worker");
            folders.add(t + "/worker");
        }
        return String.join(",", folders.stream().flatMap(f -> routeFiles(f).stream()).map(f -> "classpath:" + f).toList());
    }

    /**
     * The route files of one folder, by name. Named files load directly, while a wildcard makes Camel
     * stream through every entry of the fat jar (100 MB, PostgreSQL binaries included) once per pattern,
     * twice over: that was most of the start-up time.
     */
    static List<String> routeFiles(String folder) {
        String prefix = "routes/" + folder + "/";
        try {
            Path origin = Path.of(RouteSelection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> files;
            if (Files.isDirectory(origin)) {
                Path dir = origin.resolve(prefix);
                if (!Files.isDirectory(dir)) {
                    return List.of();
                }
                try (Stream<Path> listed = Files.list(dir)) {
                    files = listed.map(p -> prefix + p.getFileName()).filter(RouteSelection::isRouteFile).sorted().toList();
                }
            } else {
                try (JarFile jar = new JarFile(origin.toFile())) {
                    files = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                            .filter(RouteSelection::isRouteFile).sorted().toList();
                }
            }
            return files;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the route files of routes/" + folder, e);
        }
    }

    private static boolean isRouteFile(String name) {
        return name.endsWith(".camel.yaml");
    }
}
