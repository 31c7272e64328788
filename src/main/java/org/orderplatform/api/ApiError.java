package org.orderplatform.api;

import io.swagger.v3.oas.annotations.media.Schema;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** Every error body: a machine-readable code and a message naming the field and the rule. */
@Schema(description = "Every error answer: no stack traces, SQL or class names.")
public record ApiError(
        @Schema(description = "Machine-readable code, such as invalid_field or order_not_found.",
                requiredMode = REQUIRED, example = "invalid_field")
        String error,
        @Schema(description = "What is wrong, naming the field and the rule.", requiredMode = REQUIRED,
                example = "items[0].quantity must be an integer between 1 and 10000")
        String message) {
}
