package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /dlq/reprocess}: {@code {"orderIds":["<uuid>", ...]}} with 1 to
 * {@code orders.api.reprocess-max-ids} distinct canonical UUIDs, in the order given. Strict like
 * {@link OrderRequestParser}: invalid UTF-8, duplicate keys, unknown fields and a repeated id are refused
 * (400), never coerced, so the per-id answer has exactly one entry per id the operator sent.
 */
public final class OrderIdsParser {
    public static final String FIELD = "orderIds";
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxIds;

    public OrderIdsParser(int maxIds) {
        this.maxIds = maxIds;
    }

    public int maxIds() {
        return maxIds;
    }

    /**
     * An order id as the API takes it, in the body here and in the path ({@link HttpRequests#orderId}): the
     * canonical 8-4-4-4-12 hex form only ({@link UUID#fromString} would also take {@code 1-2-3-4-5}); null otherwise.
     */
    static UUID canonicalUuid(String text) {
        return text != null && CANONICAL_UUID.matcher(text).matches() ? UUID.fromString(text) : null;
    }

    /** The ids, in the order given; {@link ApiException} 400 naming the rule otherwise. */
    public List<UUID> parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid_json", "request body is empty: expected {\"orderIds\":[...]}");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException | RuntimeException e) {
            // Jackson's message quotes the input and names its internals: not for the client
            throw ApiException.badRequest("invalid_json", "request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(FIELD)) {
                throw ApiException.badRequest("unknown_field", "field '" + OrderRequestParser.printable(name)
                        + "' is not allowed; allowed fields: [" + FIELD + "]");
            }
        }
        JsonNode ids = root.get(FIELD);
        if (ids == null || ids.isNull()) {
            throw ApiException.badRequest("missing_field", FIELD + " is required");
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > maxIds) {
            throw ApiException.badRequest("invalid_field", FIELD + " must be an array of 1-" + maxIds + " order ids");
        }
        List<UUID> result = new ArrayList<>(ids.size());
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            UUID uuid = id.isTextual() ? canonicalUuid(id.asText()) : null;
            if (uuid == null) {
                throw ApiException.badRequest("invalid_field",
                        FIELD + "[" + i + "] must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
            }
            Integer first = seen.putIfAbsent(uuid, i);
            if (first != null) {
                throw ApiException.badRequest("invalid_field",
                        FIELD + "[" + i + "] repeats " + FIELD + "[" + first + "]: give each order once");
            }
            result.add(uuid);
        }
        return result;
    }
}
