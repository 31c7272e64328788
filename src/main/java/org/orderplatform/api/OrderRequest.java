package org.orderplatform.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.FALSE;
import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/**
 * The documented shape of {@code POST /orders} (the OpenAPI schema is read from these annotations).
 * {@link OrderRequestParser} enforces the rules; the annotations state the same ones, from its constants where it
 * has them: customerId 1-64 of [A-Za-z0-9._-], currency three upper-case letters, 1-100 items, no other fields.
 */
// required listed here too: on an @ArraySchema component (items), requiredMode is not read
@Schema(description = "An order to accept. Unknown fields, duplicate keys, wrong types and invalid UTF-8 are refused "
        + "(400); the total is computed by the service.", additionalProperties = FALSE,
        requiredProperties = {"customerId", "currency", "items"})
public record OrderRequest(
        @Schema(description = "The customer's id.", requiredMode = REQUIRED, minLength = 1, maxLength = 64,
                pattern = OrderRequestParser.CUSTOMER_ID_PATTERN, example = "c-42")
        String customerId,
        @Schema(description = "ISO 4217 currency code: three upper-case letters.", requiredMode = REQUIRED,
                minLength = 3, maxLength = 3, pattern = OrderRequestParser.CURRENCY_PATTERN, example = "EUR")
        String currency,
        @ArraySchema(arraySchema = @Schema(description = "The order lines."),
                minItems = 1, maxItems = OrderRequestParser.MAX_ITEMS)
        List<Item> items) {

    /** sku 1-64 visible characters (see OrderRequestParser.isVisibleInIdentifier), quantity 1-10000, unitPrice 0-99999999.99 with at most 2 decimals. */
    @Schema(name = "OrderItem", description = "One order line.", additionalProperties = FALSE)
    public record Item(
            @Schema(description = "Stock keeping unit: 1-64 characters; no control, format, separator (the plain space excepted), private-use or unassigned characters; not only spaces.",
                    requiredMode = REQUIRED, minLength = 1, maxLength = 64, pattern = OrderRequestParser.SKU_PATTERN,
                    example = "SKU-1")
            String sku,
            @Schema(description = "How many.", requiredMode = REQUIRED, minimum = "1",
                    maximum = "" + OrderRequestParser.MAX_QUANTITY, example = "2")
            int quantity,
            @Schema(description = "Price of one unit, at most two decimals.", requiredMode = REQUIRED, minimum = "0",
                    maximum = OrderRequestParser.MAX_UNIT_PRICE_TEXT, example = "19.99")
            BigDecimal unitPrice) {
    }
}
