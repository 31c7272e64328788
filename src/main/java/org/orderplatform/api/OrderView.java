package org.orderplatform.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigDecimal;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** An order as {@code GET /orders} shows it. Timestamps are ISO-8601 UTC; {@code retryCount} counts attempts made. */
// items is listed here: on an @ArraySchema component, requiredMode is not read
@Schema(description = "An order and where it is in its lifecycle.", requiredProperties = "items")
public record OrderView(
        @Schema(description = "The order's id.", requiredMode = REQUIRED, format = "uuid",
                example = "c3027f4c-1292-4262-ac86-cec4c09751a1")
        String id,
        @Schema(description = "PENDING (waiting for an attempt), PROCESSING, PROCESSED or FAILED (in the DLQ).",
                requiredMode = REQUIRED, allowableValues = {"PENDING", "PROCESSING", "PROCESSED", "FAILED"})
        String status,
        @Schema(requiredMode = REQUIRED, example = "c-42")
        String customerId,
        @Schema(requiredMode = REQUIRED, example = "EUR")
        String currency,
        // stored as JSON text and written as it is: the schema is that of the order lines it holds
        @ArraySchema(arraySchema = @Schema(description = "The order lines as accepted."),
                schema = @Schema(implementation = OrderRequest.Item.class))
        @JsonRawValue String items,
        @Schema(description = "Sum of quantity x unitPrice, computed by the service.", requiredMode = REQUIRED,
                example = "39.98")
        BigDecimal total,
        @Schema(description = "Attempts made in the current attempt budget (reprocess resets it).",
                requiredMode = REQUIRED, minimum = "0", example = "1")
        int retryCount,
        @Schema(description = "Why the last attempt failed; null when none did.", requiredMode = REQUIRED,
                nullable = true)
        @JsonInclude(JsonInclude.Include.ALWAYS) String failureReason,
        @Schema(description = "The correlation id of the request that created the order.", requiredMode = REQUIRED,
                example = "demo-1")
        String correlationId,
        @Schema(description = "ISO-8601, UTC.", requiredMode = REQUIRED, format = "date-time")
        String createdAt,
        @Schema(description = "ISO-8601, UTC: the last change of status.", requiredMode = REQUIRED,
                format = "date-time")
        String updatedAt) {
}
