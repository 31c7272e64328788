package org.orderplatform.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.orderplatform.RouteSelection.Role;
import org.orderplatform.infra.Settings;
import org.orderplatform.observability.OrderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API concern: the order store, request parsing, answers, the console, the OpenAPI document and, except in a
 * worker, the operator token. Needs {@code dataSource} and {@code orderMetrics}; binds {@code jsonMapper} (the
 * sqs transport's too) and the steps of the API routes, each a {@link Processor} (see {@link #bindSteps}).
 */
public final class ApiConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    private final Role role;

    public ApiConfiguration(Role role) {
        this.role = role;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        ObjectMapper mapper = JsonMapper.builder().build();
        if (role.servesApi()) {
            // only the api serves operator endpoints: a worker needs no token, and must not log a generated one
            registry.bind("checkOperator", (Processor) new AdminAuth(adminToken(settings))::check);
        }
        registry.bind("jsonMapper", mapper);
        OrderStore store = new OrderStore(dataSource, mapper);
        HttpRequests requests = new HttpRequests(new OrderRequestParser(),
                settings.integer("orders.api.default-limit", 1, 500), settings.integer("orders.api.max-limit", 1, 500),
                new OrderIdsParser(settings.integer("orders.api.reprocess-max-ids", 1, 1000)));
        HttpResponses responses = new HttpResponses(mapper, settings.longValue("orders.poll.report-interval-ms", 1000));
        bindSteps(registry, requests, responses,
                new ApiSteps(store, registry.lookupByNameAndType("orderMetrics", OrderMetrics.class)));
        // the console's files (routes/api/console.camel.yaml) and GET /openapi.json (routes/api/openapi.camel.yaml);
        // a worker loads no API routes and serves neither
        registry.bind("serveConsole", (Processor) new ConsoleAssets()::serve);
        registry.bind("serveOpenApi", (Processor) new OpenApiDocument(context)::serve);
    }

    /**
     * The steps of the API routes, each a {@link Processor} named in a {@code process} step of
     * routes/api/orders-api.camel.yaml or of the route configurations {@code api-requests} and {@code api-errors}:
     * a plain call per request, with no reflective bean binding on the request path (issue 14).
     */
    public static void bindSteps(Registry registry, HttpRequests requests, HttpResponses responses, ApiSteps steps) {
        // what every API request needs, from the route configurations api-requests and api-errors
        registry.bind("correlateRequest", (Processor) requests::correlate);
        registry.bind("answerFailure", (Processor) responses::failure);
        // reading the request
        registry.bind("readIdempotencyKey", (Processor) requests::readIdempotencyKey);
        registry.bind("readOrder", (Processor) requests::readOrder);
        registry.bind("readOrderId", (Processor) requests::readOrderId);
        registry.bind("readOrderIds", (Processor) requests::readOrderIds);
        registry.bind("readStatusFilter", (Processor) requests::readStatusFilter);
        registry.bind("readLimit", (Processor) requests::readLimit);
        registry.bind("readCorrelationFilter", (Processor) requests::readCorrelationFilter);
        // the store
        registry.bind("storeOrder", (Processor) steps::storeOrder);
        registry.bind("findOrder", (Processor) steps::findOrder);
        registry.bind("listOrders", (Processor) steps::listOrders);
        registry.bind("listTransitions", (Processor) steps::listTransitions);
        registry.bind("listDeadLetters", (Processor) steps::listDeadLetters);
        registry.bind("reprocessOrder", (Processor) steps::reprocessOrder);
        registry.bind("reprocessOrders", (Processor) steps::reprocessOrders);
        registry.bind("readStats", (Processor) steps::stats);
        // the answer
        registry.bind("answerAccepted", (Processor) responses::accepted);
        registry.bind("answerReplayed", (Processor) responses::replayed);
        registry.bind("answerOk", (Processor) responses::ok);
    }

    /** orders.admin.token, or a random one for this run, logged once so that the operator can use it. */
    private static String adminToken(Settings settings) {
        return settings.optional("orders.admin.token").orElseGet(() -> {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.warn("orders.admin.token is not set: operator endpoints (/dlq) accept this generated token for this "
                    + "run only: {}", token);
            return token;
        });
    }
}
