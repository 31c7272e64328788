package org.orderplatform.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.aws2.sqs.Sqs2Component;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.orderplatform.api.AdminAuth;
import org.orderplatform.api.ApiConfiguration;
import org.orderplatform.api.ApiSteps;
import org.orderplatform.api.ConsoleAssets;
import org.orderplatform.api.HttpRequests;
import org.orderplatform.api.HttpResponses;
import org.orderplatform.api.OpenApiDocument;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.observability.BacklogSampler;
import org.orderplatform.observability.OrderMetrics;
import org.orderplatform.observability.Retention;
import org.orderplatform.transport.inprocess.InprocessRecovery;
import org.orderplatform.transport.outbox.OutboxNotifier;
import org.orderplatform.transport.sqs.SqsAcknowledgement;
import org.orderplatform.transport.sqs.SqsRelay;
import org.orderplatform.transport.sqs.SqsRelaySends;
import org.orderplatform.worker.CollectProcessed;
import org.orderplatform.worker.OrderWorker;
import org.orderplatform.worker.StaleLockRecovery;
import org.orderplatform.worker.WorkStore;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build-time validation of the YAML routes (camel-yaml-dsl-validator-maven-plugin is not served at
 * 4.18.0): EVERY route file under src/main/resources/routes, all transports and roles at once, loads into
 * one Camel context with the beans the routes name bound by their real classes (so a bean method that does
 * not exist fails route creation), and each route is created with the route configuration it names. The
 * context starts with its routes stopped: the transports share the direct: endpoints of the transport
 * contract (routes/worker/worker.camel.yaml), which only one transport consumes at run time. Each file
 * also matches the YAML DSL's JSON schema, and no route id is defined twice.
 */
class RouteTreeTest {

    /** The beans the routes name, by their real classes; instances are never called (the routes do not run). */
    private static final Map<String, Class<?>> BEANS = beans();

    private static Map<String, Class<?>> beans() {
        Map<String, Class<?>> beans = new LinkedHashMap<>();
        beans.put("orderWorker", OrderWorker.class);
        beans.put("orderMetrics", OrderMetrics.class);
        beans.put("pollFailures", PollFailures.class);
        beans.put("staleLockRecovery", StaleLockRecovery.class);
        beans.put("backlogSampler", BacklogSampler.class);
        beans.put("retention", Retention.class);
        beans.put("sqsRelay", SqsRelay.class);
        beans.put("inprocessRecovery", InprocessRecovery.class);
        beans.put("workStore", WorkStore.class);
        beans.put("collectProcessed", CollectProcessed.class);
        beans.put("sqsReceivedMessages", GroupedMessageAggregationStrategy.class);
        return beans;
    }

    @Test
    void everyRouteFileLoadsTogetherWithItsBeansAndConfigurations() throws Exception {
        Map<String, String> declared = declaredRoutes();
        try (CamelContext context = new DefaultCamelContext()) {
            context.setAutoStartup(false);
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            context.getRestConfiguration().setComponent("platform-http");
            for (Map.Entry<String, Class<?>> bean : BEANS.entrySet()) {
                context.getRegistry().bind(bean.getKey(), unconstructed(bean.getValue()));
            }
            // the API routes' process steps: the Processors ApiConfiguration binds, over unconstructed instances
            ApiConfiguration.bindSteps(context.getRegistry(), (HttpRequests) unconstructed(HttpRequests.class),
                    (HttpResponses) unconstructed(HttpResponses.class), (ApiSteps) unconstructed(ApiSteps.class));
            context.getRegistry().bind("checkOperator", (Processor) ((AdminAuth) unconstructed(AdminAuth.class))::check);
            // the outbox intake's step; a method reference, since the notifier itself is a service the route would start
            context.getRegistry().bind("signalOutboxWorkers",
                    (Processor) ((OutboxNotifier) unconstructed(OutboxNotifier.class))::process);
            context.getRegistry().bind("serveConsole", (Processor) ((ConsoleAssets) unconstructed(ConsoleAssets.class))::serve);
            context.getRegistry().bind("serveOpenApi", (Processor) ((OpenApiDocument) unconstructed(OpenApiDocument.class))::serve);
            ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(this, "route-tree-test", 1);
            context.getRegistry().bind("workerPool", pool);
            context.getRegistry().bind("sqsConsumerThread", new SynchronousExecutorService());
            // the relay's parallel sends: their thread pool and the strategy that gathers their answers
            context.getRegistry().bind("sqsRelayPool", pool);
            context.getRegistry().bind("sqsRelaySends", new SqsRelaySends());
            // the aws2-sqs endpoints need a client to be created; it is never called
            SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                    .endpointOverride(URI.create("http://127.0.0.1:9")).build();
            context.getRegistry().bind("sqsClient", sqs);
            // a Camel service, started with the routes' services: built for real (it calls nothing until a delete)
            context.getRegistry().bind("sqsAcknowledgement", new SqsAcknowledgement(sqs, "http://127.0.0.1:9/q",
                    new ObjectMapper(), (OrderMetrics) unconstructed(OrderMetrics.class),
                    context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "route-tree-test-acks"), 100));
            // a known queue URL: the endpoints would look it up from the queue otherwise
            context.getComponent("aws2-sqs", Sqs2Component.class).getConfiguration()
                    .setQueueUrl("http://127.0.0.1:9/000000000000/orders-events");

            List<Resource> resources = new ArrayList<>();
            for (Path file : routeFiles()) {
                resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
            }
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);
            context.start();

            Map<String, String> created = new TreeMap<>();
            for (Route route : context.getRoutes()) {
                // the REST DSL inlines the direct: route of each operation into its rest route (camel.rest.inlineRoutes):
                // the created route carries the direct: route's id, its configuration is on the definition
                String configuration = context.getCamelContextExtension().getContextPlugin(Model.class)
                        .getRouteDefinition(route.getRouteId()).getRouteConfigurationId();
                created.put(route.getRouteId(), configuration == null ? "" : configuration);
            }
            assertThat(created).as("route id -> route configuration, as created").containsAllEntriesOf(declared);
            // Camel creates a route whose routeConfigurationId names no configuration, without it: check the names
            List<String> configurations = context.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteConfigurationDefinitions().stream().map(RouteConfigurationDefinition::getId).toList();
            assertThat(configurations).as("route configurations defined").contains(
                    declared.values().stream().filter(c -> !c.isEmpty()).distinct().toArray(String[]::new));
        }
    }

    @Test
    void routeIdsAreUniqueAcrossTheTree() throws IOException, URISyntaxException {
        Map<String, List<String>> where = new TreeMap<>();
        for (Path file : routeFiles()) {
            for (Map<String, Object> route : routes(file)) {
                where.computeIfAbsent((String) route.get("id"), id -> new ArrayList<>()).add(relative(file));
            }
        }
        where.values().removeIf(files -> files.size() < 2);
        assertThat(where).as("route ids defined more than once, with their files").isEmpty();
    }

    @Test
    void everyRouteFileMatchesTheYamlDslSchema() throws IOException, URISyntaxException {
        // the schema camel-yaml-dsl ships (draft-04), the one editors and camel-jbang validate against. Camel
        // reads every scalar as text and converts it, after resolving {{placeholders}}: so does this test
        // (the failsafe schema keeps scalars as strings, typeLoose accepts "10" where a number is expected).
        Schema schema;
        try (InputStream in = RouteTreeTest.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            assertThat(in).as("camel-yaml-dsl's schema/camelYamlDsl.json").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
                    registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().typeLoose(true).build())).getSchema(in);
        }
        Properties properties = new Properties();
        try (InputStream in = RouteTreeTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, List<String>> errors = new TreeMap<>();
        for (Path file : routeFiles()) {
            String text = PLACEHOLDER.matcher(Files.readString(file))
                    .replaceAll(m -> Matcher.quoteReplacement(properties.getProperty(m.group(1), m.group())));
            Object yaml = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(text);
            JsonNode document = mapper.valueToTree(yaml);
            List<String> found = schema.validate(document).stream().map(e -> e.getInstanceLocation() + " " + e.getMessage()).toList();
            if (!found.isEmpty()) {
                errors.put(relative(file), found);
            }
        }
        assertThat(errors).as("schema errors by file").isEmpty();
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9._-]+)}}");

    /** Route id -> routeConfigurationId ("" for none) of every route and templated route in the tree. */
    private static Map<String, String> declaredRoutes() throws IOException, URISyntaxException {
        Map<String, String> declared = new TreeMap<>();
        for (Path file : routeFiles()) {
            for (Map<String, Object> route : routes(file)) {
                Object configuration = route.get("routeConfigurationId");
                declared.put((String) route.get("id"), configuration == null ? "" : configuration.toString());
            }
        }
        assertThat(declared).as("routes found under src/main/resources/routes").hasSizeGreaterThan(20);
        return declared;
    }

    /** The routes of one file: route (id) and templatedRoute (routeId) entries, as maps with "id". */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routes(Path file) throws IOException {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Object entry : (List<Object>) document) {
            Map<String, Object> item = (Map<String, Object>) entry;
            if (item.containsKey("route")) {
                Map<String, Object> route = (Map<String, Object>) item.get("route");
                assertThat(route.get("id")).as("every route has an id (%s)", relative(file)).isNotNull();
                routes.add(route);
            } else if (item.containsKey("templatedRoute")) {
                Map<String, Object> templated = (Map<String, Object>) item.get("templatedRoute");
                assertThat(templated.get("routeId")).as("every templated route has a routeId (%s)", relative(file)).isNotNull();
                routes.add(Map.of("id", templated.get("routeId")));
            }
        }
        return routes;
    }

    static List<Path> routeFiles() throws IOException, URISyntaxException {
        Path root = routesRoot();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
            assertThat(found).as("route files under %s", root).isNotEmpty();
            return found;
        }
    }

    static Path routesRoot() throws URISyntaxException {
        return Path.of(RouteTreeTest.class.getResource("/routes").toURI());
    }

    static String relative(Path file) {
        try {
            return routesRoot().relativize(file).toString();
        } catch (URISyntaxException e) {
            return file.toString();
        }
    }

    /** An instance of the bean's class without running its constructor: the routes check its methods only. */
    private static Object unconstructed(Class<?> type) throws ReflectiveOperationException {
        Field field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        field.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
        return unsafe.allocateInstance(type);
    }
}
