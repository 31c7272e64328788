package org.orderplatform.api;

import io.swagger.v3.oas.annotations.media.Schema;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** An order parked in the business dead-letter queue, as {@code GET /dlq} shows it. */
@Schema(description = "An order parked in the business dead-letter queue: its attempts are exhausted and it is FAILED.")
public record DlqEntry(
        @Schema(description = "The order's id.", requiredMode = REQUIRED, format = "uuid",
                example = "f3c0abd3-7e1a-4c1e-9a4b-2f5d6c7e8f90")
        String orderId,
        @Schema(description = "Why the last attempt failed.", requiredMode = REQUIRED,
                example = "simulated processing failure on attempt 3")
        String reason,
        @Schema(description = "Attempts made.", requiredMode = REQUIRED, minimum = "0", example = "3")
        int retryCount,
        @Schema(description = "When the order was dead-lettered: ISO-8601, UTC.", requiredMode = REQUIRED,
                format = "date-time")
        String failedAt,
        @Schema(description = "The order's correlation id.", requiredMode = REQUIRED, example = "demo-2")
        String correlationId) {
}
