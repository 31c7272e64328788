package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.apache.camel.spi.RestConfiguration;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serves {@code GET /openapi.json}: the document camel-openapi-java generates from the REST DSL
 * ({@code routes/api/orders-api.camel.yaml}) and the annotated model records, completed here with what the DSL
 * cannot say. Everything else (paths, parameters, status codes, schemas and their constraints, the bearer
 * scheme, the operator endpoints' security) comes from the routes and the records; this class only:
 * <ul>
 *   <li>names the server {@code "/"}, relative to where the document is served (Camel would name the host
 *       it listens on, {@code http://0.0.0.0});</li>
 *   <li>writes {@code security: []} on every operation that names no security, so an open endpoint says it is
 *       open (the DSL has no way to write an empty list);</li>
 *   <li>turns JSON examples, which the DSL can only hold as text, into JSON values, and gives parameter
 *       defaults (text in the DSL, {@code "50"}) the type of their schema ({@code 50});</li>
 *   <li>tags each operation with the first segment of its path ({@code orders}, {@code dlq}), as Camel does
 *       for a rest with a path, and describes the tags it knows.</li>
 * </ul>
 * The document is built once, on the first request: the REST definitions do not change while the service runs.
 */
public class OpenApiDocument {
    /** Tag descriptions; an operation under a new first path segment needs one here (the Redocly lint says so). */
    static final Map<String, String> TAGS = tags();
    /** The keys of a path item that are operations. */
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final CamelContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile byte[] document;

    public OpenApiDocument(CamelContext context) {
        this.context = context;
    }

    /** Answers the request with the document. */
    public void serve(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        // request headers would otherwise be echoed as response headers
        message.removeHeaders("*");
        message.setBody(document());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** The document as served. */
    public byte[] document() throws Exception {
        byte[] built = document;
        if (built == null) {
            synchronized (this) {
                if (document == null) {
                    document = mapper.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(complete((ObjectNode) mapper.readTree(generate())));
                }
                built = document;
            }
        }
        return built;
    }

    /** What camel-openapi-java makes of the REST DSL, configured by {@code camel.rest.apiProperties[...]}. */
    private String generate() throws Exception {
        RestConfiguration configuration = context.getRestConfiguration();
        Map<String, Object> properties = configuration.getApiProperties() == null
                ? Map.of() : configuration.getApiProperties();
        BeanConfig config = new BeanConfig();
        RestOpenApiSupport support = new RestOpenApiSupport();
        support.initOpenApi(config, properties);
        List<RestDefinition> rests = support.getRestDefinitions(context);
        OpenAPI openApi = new RestOpenApiReader().read(context, rests, config, context.getName(), context.getClassResolver());
        if (!configuration.isApiVendorExtension()) {
            OpenApiHelper.clearVendorExtensions(openApi);
        }
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(openApi, config);
    }

    /** The completions listed in the class comment. */
    ObjectNode complete(ObjectNode doc) throws JsonProcessingException {
        doc.putArray("servers").addObject()
                .put("url", "/")
                .put("description", "the service that serves this document, on the same host and port");
        Set<String> used = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String tag = firstSegment(path.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> entries = path.getValue().fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (!METHODS.contains(entry.getKey()) || !(entry.getValue() instanceof ObjectNode operation)) {
                    continue;
                }
                if (!operation.has("security")) {
                    operation.putArray("security");
                }
                ArrayNode tags = operation.putArray("tags");
                tags.add(tag);
                used.add(tag);
                for (JsonNode parameter : operation.path("parameters")) {
                    typedDefault(parameter.path("schema"));
                }
                jsonExamples(operation.path("requestBody"));
                for (JsonNode response : operation.path("responses")) {
                    jsonExamples(response);
                }
            }
        }
        ArrayNode tags = doc.putArray("tags");
        for (String tag : used) {
            ObjectNode node = tags.addObject().put("name", tag);
            if (TAGS.containsKey(tag)) {
                node.put("description", TAGS.get(tag));
            }
        }
        // the order of the top-level keys as people read them
        ObjectNode ordered = mapper.createObjectNode();
        for (String key : List.of("openapi", "info", "servers", "security", "tags", "paths", "components")) {
            if (doc.has(key)) {
                ordered.set(key, doc.get(key));
            }
        }
        ordered.setAll(doc);
        return ordered;
    }

    /** In a request body or a response: JSON examples written as text in the DSL become JSON values. */
    private void jsonExamples(JsonNode holder) throws JsonProcessingException {
        for (Iterator<Map.Entry<String, JsonNode>> media = holder.path("content").fields(); media.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = media.next();
            if (!entry.getKey().contains("json") || !(entry.getValue() instanceof ObjectNode mediaType)) {
                continue;
            }
            if (mediaType.path("example").isTextual()) {
                mediaType.set("example", mapper.readTree(mediaType.get("example").asText()));
            }
            for (JsonNode example : mediaType.path("examples")) {
                if (example instanceof ObjectNode named && named.path("value").isTextual()) {
                    named.set("value", mapper.readTree(named.get("value").asText()));
                }
            }
        }
    }

    private void typedDefault(JsonNode schema) throws JsonProcessingException {
        JsonNode value = schema.path("default");
        String type = schema.path("type").asText();
        if (value.isTextual() && (type.equals("integer") || type.equals("number") || type.equals("boolean"))
                && schema instanceof ObjectNode node) {
            node.set("default", mapper.readTree(value.asText()));
        }
    }

    private static String firstSegment(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    private static Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("orders", "Intake and reads: open to every client.");
        tags.put("dlq", "The business dead-letter queue: operator endpoints, Authorization: Bearer <orders.admin.token>.");
        tags.put("stats", "The operator overview (counts by status, outbox backlog, DLQ size): Authorization: Bearer <orders.admin.token>.");
        return Collections.unmodifiableMap(tags);
    }
}
