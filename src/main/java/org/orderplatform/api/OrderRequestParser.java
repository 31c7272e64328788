package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.orderplatform.domain.NewOrder;
import org.orderplatform.domain.OrderLine;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of {@code POST /orders} into a {@link NewOrder}, or refuses them with an
 * {@link ApiException} naming the field and the rule. Plain Java: no Camel types.
 * <p>
 * Strict on purpose: invalid UTF-8, duplicate keys, unknown fields, strings where numbers belong and
 * numbers with a fraction where integers belong are all refused rather than coerced.
 */
public final class OrderRequestParser {

    public static final int MAX_ITEMS = 100;
    public static final int MAX_QUANTITY = 10_000;
    public static final String MAX_UNIT_PRICE_TEXT = "99999999.99";
    public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal(MAX_UNIT_PRICE_TEXT);
    /** Anchored, so that the same text serves as the JSON Schema pattern of the API description (OrderRequest). */
    public static final String CUSTOMER_ID_PATTERN = "^[A-Za-z0-9._-]{1,64}$";
    public static final String CURRENCY_PATTERN = "^[A-Z]{3}$";
    /**
     * The sku rule of {@link #line} as a JSON Schema pattern, for the API description only (with minLength 1 and
     * maxLength 64, which count code points as the code does): what {@link #isVisibleInIdentifier} allows (no
     * "other" or separator code point but the plain space; noncharacters are unassigned), not only spaces.
     */
    public static final String SKU_PATTERN = "^(?:[^\\p{C}\\p{Z}]| )*[^\\p{C}\\p{Z}](?:[^\\p{C}\\p{Z}]| )*$";

    private static final String JSON = "application/json";
    private static final Pattern CUSTOMER_ID = Pattern.compile(CUSTOMER_ID_PATTERN);
    private static final Pattern CURRENCY = Pattern.compile(CURRENCY_PATTERN);
    private static final Set<String> ORDER_FIELDS = Set.of("customerId", "currency", "items");
    private static final Set<String> ITEM_FIELDS = Set.of("sku", "quantity", "unitPrice");

    /** Jackson's defaults, stated so that the messages that name them stay true. */
    private static final int MAX_NESTING = 1000;
    private static final int MAX_NUMBER_LENGTH = 1000;
    /** Where Jackson's messages turn to its internals (feature and class names, source excerpts). */
    private static final List<String> INTERNAL_DETAIL = List.of("`", "\n", " (for ", " at [Source", "(bound as",
            " enable ", ": enable", " (not recognized", "Feature", "com.fasterxml", "JsonNode", "StreamRead");

    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Checks the request's content type, parsed as RFC 9110 writes it ({@link MediaType}): {@code application/json}
     * in any case, with at most one {@code charset} parameter, which must name UTF-8 (quoted or not, any case).
     */
    public void checkContentType(String contentType) {
        if (JSON.equals(contentType)) {
            return;   // what nearly every client sends: no need to parse it
        }
        MediaType type;
        try {
            type = MediaType.parse(contentType);
        } catch (IllegalArgumentException e) {
            throw unsupportedMediaType(contentType, contentType == null ? "" : ": " + e.getMessage());
        }
        boolean utf8 = type.parameter("charset").map(charset -> charset.equalsIgnoreCase("utf-8")).orElse(true);
        if (!type.essence().equals("application/json") || !utf8) {
            throw unsupportedMediaType(contentType, "");
        }
    }

    private static ApiException unsupportedMediaType(String contentType, String why) {
        return new ApiException(415, "unsupported_media_type",
                "Content-Type must be application/json (UTF-8), was '" + printable(contentType) + "'" + why);
    }

    public NewOrder parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid_json", "request body is empty: expected a JSON object");
        }
        // anything but printable ASCII is decoded strictly first (strictUtf8); printable ASCII needs no check
        String text = isPrintableAscii(body) ? null : strictUtf8(body);
        JsonNode root;
        try {
            root = text == null ? mapper.readTree(body) : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid JSON: " + describe(e));
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object");
        }
        rejectUnknownFields(root, ORDER_FIELDS, "");
        String customerId = text(root, "customerId", CUSTOMER_ID,
                "customerId must be 1-64 characters of [A-Za-z0-9._-]");
        String currency = text(root, "currency", CURRENCY, "currency must be three upper-case letters (ISO 4217)");
        JsonNode items = required(root, "items", "items");
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw ApiException.badRequest("invalid_field", "items must be an array of 1-" + MAX_ITEMS + " items");
        }
        List<OrderLine> lines = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            lines.add(line(items.get(i), "items[" + i + "]"));
        }
        return new NewOrder(customerId, currency, lines);
    }

    /**
     * True when every byte is printable ASCII or JSON whitespace: such bytes are the same text in UTF-8 and in
     * ASCII, carry no byte order mark and no zero byte (Jackson then reads them as UTF-8, as the strict decoding
     * would), so Jackson reads them directly, without a decoded copy. Nearly every order is such a body.
     */
    private static boolean isPrintableAscii(byte[] body) {
        for (byte b : body) {
            if ((b < 0x20 || b == 0x7F) && b != '\t' && b != '\n' && b != '\r') {
                return false;   // negative bytes (>= 0x80 unsigned) included
            }
        }
        return true;
    }

    /**
     * The body decoded strictly: Jackson alone accepts overlong forms and encoded surrogates, and detects
     * UTF-16/32 on its own, while a JSON request body must be UTF-8 (RFC 8259).
     */
    private static String strictUtf8(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid UTF-8");
        }
        // a UTF-8 byte order mark may be ignored (RFC 8259 8.1), as Jackson did on bytes
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private OrderLine line(JsonNode item, String path) {
        if (!item.isObject()) {
            throw ApiException.badRequest("invalid_field", path + " must be a JSON object");
        }
        rejectUnknownFields(item, ITEM_FIELDS, path + ".");
        JsonNode sku = required(item, "sku", path + ".sku");
        String skuText = sku.isTextual() ? sku.asText() : null;
        if (skuText == null || skuText.isEmpty() || skuText.codePointCount(0, skuText.length()) > 64
                || !allVisibleInIdentifier(skuText) || skuText.isBlank()) {
            throw ApiException.badRequest("invalid_field", path + ".sku must be a string of 1-64 printable characters"
                    + " (no control, format, private-use, unassigned or noncharacter code points; no space but U+0020)");
        }
        JsonNode quantity = required(item, "quantity", path + ".quantity");
        if (!quantity.isIntegralNumber() || !quantity.canConvertToInt()
                || quantity.intValue() < 1 || quantity.intValue() > MAX_QUANTITY) {
            throw ApiException.badRequest("invalid_field",
                    path + ".quantity must be an integer between 1 and " + MAX_QUANTITY);
        }
        JsonNode unitPrice = required(item, "unitPrice", path + ".unitPrice");
        BigDecimal price = unitPrice.isNumber() ? unitPrice.decimalValue() : null;
        if (price == null || price.signum() < 0 || price.compareTo(MAX_UNIT_PRICE) > 0
                || price.stripTrailingZeros().scale() > 2) {
            throw ApiException.badRequest("invalid_field", path
                    + ".unitPrice must be a number between 0 and " + MAX_UNIT_PRICE.toPlainString()
                    + " with at most 2 decimals");
        }
        return new OrderLine(skuText, quantity.intValue(), price.setScale(2));
    }

    /** {@link #isVisibleInIdentifier} for every code point of {@code text} (a loop: no stream per sku). */
    private static boolean allVisibleInIdentifier(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!isVisibleInIdentifier(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * Whether a code point may stand in an identifier a person reads back (a sku): not a control (Cc), format (Cf:
     * zero-width space, right-to-left override), separator (Z*: no-break space, line separator; the plain space
     * U+0020 excepted, SKUs such as "RED SHIRT L" exist), private-use (Co), surrogate (Cs) or unassigned (Cn, as
     * of the JVM's Unicode version) code point, nor one of the 66 noncharacters. Such characters make two
     * identifiers that look the same differ, or hide what an identifier says.
     */
    static boolean isVisibleInIdentifier(int c) {
        if (c == ' ') {
            return true;
        }
        boolean noncharacter = (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
        return !noncharacter && switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    /**
     * What is wrong with the JSON, in words a client can act on, and where. Jackson's own messages name its
     * classes and features ({@code StreamReadConstraints.getMaxNestingDepth()}, {@code DeserializationFeature...}),
     * which must not reach a client, so only a vetted part of them is kept.
     */
    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String reason;
        if (e instanceof StreamConstraintsException) {
            if (original.contains("nesting depth")) {
                reason = "nesting is deeper than the allowed " + MAX_NESTING + " levels";
            } else if (original.contains("Number value length")) {
                reason = "a number is longer than the allowed " + MAX_NUMBER_LENGTH + " characters";
            } else if (original.contains("String value length")) {
                reason = "a string is too long";
            } else {
                reason = "the document exceeds a size limit";
            }
        } else if (original.startsWith("Unexpected end-of-input")) {
            reason = "the body ends before the JSON value is complete";
        } else if (original.startsWith("Trailing token")) {
            reason = "unexpected content after the JSON value";
        } else {
            reason = original;
            for (String internal : INTERNAL_DETAIL) {
                int at = reason.indexOf(internal);
                if (at >= 0) {
                    reason = reason.substring(0, at);
                }
            }
            reason = reason.strip();
            while (reason.endsWith(":") || reason.endsWith(";") || reason.endsWith(",")) {
                reason = reason.substring(0, reason.length() - 1).strip();
            }
            if (reason.isEmpty()) {
                reason = "unexpected input";
            }
        }
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1
                ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return printable(reason, 160) + where;
    }

    private static String text(JsonNode node, String field, Pattern rule, String message) {
        JsonNode value = required(node, field, field);
        if (!value.isTextual() || !rule.matcher(value.asText()).matches()) {
            throw ApiException.badRequest("invalid_field", message);
        }
        return value.asText();
    }

    private static JsonNode required(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_field", path + " is required");
        }
        return value;
    }

    private static void rejectUnknownFields(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown_field",
                        "field '" + prefix + printable(name) + "' is not allowed; allowed fields: " + allowed);
            }
        }
    }

    /** Echoes client text safely: control characters replaced, length capped. */
    static String printable(String text) {
        return printable(text, 64);
    }

    /** Echoes client text safely: control characters replaced, at most {@code max} characters. */
    static String printable(String text, int max) {
        if (text == null) {
            return "";
        }
        String clean = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.length() > max ? clean.substring(0, max) + "..." : clean;
    }
}
