package org.orderplatform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request schema of the API description states the rules {@link OrderRequestParser} enforces: at each bound
 * the schema gives (lengths, patterns, item count, ranges, required fields, no other fields), the parser accepts
 * what the schema allows and refuses what it does not. Reads the committed copy of the document, which
 * {@link ApiDescriptionTest} keeps equal to the served one.
 */
class OrderRequestSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrderRequestParser parser = new OrderRequestParser();
    private final JsonNode schemas;

    OrderRequestSchemaTest() throws IOException {
        schemas = JSON.readTree(Files.readString(ApiDescriptionTest.COMMITTED)).at("/components/schemas");
    }

    @Test
    void string_lengths_and_patterns_are_those_the_parser_enforces() {
        checkString("customerId", schemas.at("/OrderRequest/properties/customerId"), 'c',
                List.of("c 42", "c/42", "c\u00e4", "C-42_x.y"), (order, value) -> order.put("customerId", value));
        checkString("currency", schemas.at("/OrderRequest/properties/currency"), 'E',
                List.of("eur", "EU1", "E R"), (order, value) -> order.put("currency", value));
        checkString("sku", schemas.at("/OrderItem/properties/sku"), 'S',
                List.of("   ", "SKU\u0007", "SKU\n1", "SKU 1", "\u00c4rger-1", "\u0085", "SKU\u009f"),
                (order, value) -> item(order).put("sku", value));
    }

    @Test
    void item_count_and_number_ranges_are_those_the_parser_enforces() {
        JsonNode items = schemas.at("/OrderRequest/properties/items");
        int maxItems = items.get("maxItems").asInt();
        int minItems = items.get("minItems").asInt();
        assertThat(accepts(order -> repeatItems(order, maxItems))).as("%d items", maxItems).isTrue();
        assertThat(accepts(order -> repeatItems(order, maxItems + 1))).as("%d items", maxItems + 1).isFalse();
        assertThat(accepts(order -> repeatItems(order, minItems - 1))).as("%d items", minItems - 1).isFalse();

        JsonNode quantity = schemas.at("/OrderItem/properties/quantity");
        assertThat(quantity.get("type").asText()).isEqualTo("integer");
        int min = quantity.get("minimum").asInt();
        int max = quantity.get("maximum").asInt();
        assertThat(accepts(order -> item(order).put("quantity", min))).isTrue();
        assertThat(accepts(order -> item(order).put("quantity", max))).isTrue();
        assertThat(accepts(order -> item(order).put("quantity", min - 1))).isFalse();
        assertThat(accepts(order -> item(order).put("quantity", max + 1))).isFalse();
        assertThat(accepts(order -> item(order).put("quantity", 1.5))).as("an integer").isFalse();

        JsonNode price = schemas.at("/OrderItem/properties/unitPrice");
        BigDecimal lowest = price.get("minimum").decimalValue();
        BigDecimal highest = new BigDecimal(price.get("maximum").asText()).setScale(2);
        assertThat(accepts(order -> item(order).put("unitPrice", lowest))).isTrue();
        assertThat(accepts(order -> item(order).put("unitPrice", highest))).isTrue();
        assertThat(accepts(order -> item(order).put("unitPrice", lowest.subtract(new BigDecimal("0.01"))))).isFalse();
        assertThat(accepts(order -> item(order).put("unitPrice", highest.add(new BigDecimal("0.01"))))).isFalse();
        assertThat(price.get("description").asText()).as("the decimals rule, which the schema states in words")
                .contains("two decimals");
        assertThat(accepts(order -> item(order).put("unitPrice", new BigDecimal("1.001")))).isFalse();
    }

    @Test
    void required_fields_and_no_other_fields_as_the_schema_says() {
        for (String schema : List.of("OrderRequest", "OrderItem")) {
            JsonNode node = schemas.get(schema);
            assertThat(node.get("additionalProperties").asBoolean(true)).as(schema + " allows no other fields").isFalse();
            List<String> properties = names(node.get("properties"));
            assertThat(names(node.get("required"))).as(schema + ": every field is required")
                    .containsExactlyInAnyOrderElementsOf(properties);
            for (String property : properties) {
                assertThat(accepts(order -> target(order, schema).remove(property))).as("without " + property).isFalse();
            }
            assertThat(accepts(order -> target(order, schema).put("note", "x"))).as(schema + " with another field").isFalse();
        }
        assertThat(accepts(order -> { })).as("the example order").isTrue();
    }

    /** At the schema's length bounds and for each sample, the parser agrees with minLength, maxLength and pattern. */
    private void checkString(String field, JsonNode schema, char fill, List<String> samples,
                             java.util.function.BiConsumer<ObjectNode, String> set) {
        int min = schema.get("minLength").asInt();
        int max = schema.get("maxLength").asInt();
        Pattern pattern = Pattern.compile(schema.get("pattern").asText());
        assertThat(accepts(order -> set.accept(order, String.valueOf(fill).repeat(max)))).as("%s of %d", field, max).isTrue();
        assertThat(accepts(order -> set.accept(order, String.valueOf(fill).repeat(max + 1)))).as("%s of %d", field, max + 1).isFalse();
        assertThat(accepts(order -> set.accept(order, String.valueOf(fill).repeat(min - 1)))).as("%s of %d", field, min - 1).isFalse();
        for (String sample : samples) {
            boolean allowed = pattern.matcher(sample).find()
                    && sample.codePointCount(0, sample.length()) >= min && sample.codePointCount(0, sample.length()) <= max;
            assertThat(accepts(order -> set.accept(order, sample)))
                    .as("%s '%s': the schema %s it", field, sample, allowed ? "allows" : "refuses").isEqualTo(allowed);
        }
    }

    /** Whether the parser accepts the example order after {@code change}. */
    private boolean accepts(Consumer<ObjectNode> change) {
        ObjectNode order = JSON.createObjectNode().put("customerId", "c-42").put("currency", "EUR");
        order.putArray("items").addObject().put("sku", "SKU-1").put("quantity", 2).put("unitPrice", new BigDecimal("19.99"));
        change.accept(order);
        try {
            parser.parse(order.toString().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return false;
        }
    }

    private static ObjectNode item(ObjectNode order) {
        return (ObjectNode) order.get("items").get(0);
    }

    private static ObjectNode target(ObjectNode order, String schema) {
        return schema.equals("OrderItem") ? item(order) : order;
    }

    private static void repeatItems(ObjectNode order, int count) {
        ArrayNode items = order.putArray("items");
        for (int i = 0; i < count; i++) {
            items.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", new BigDecimal("1.00"));
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
