package org.orderplatform.api;

import io.swagger.v3.oas.annotations.media.Schema;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** The answer to an accepted {@code POST /orders} or reprocess request. */
@Schema(description = "An order accepted for processing (or sent back to it): its id, PENDING, and the request's "
        + "correlation id.")
public record AcceptedOrder(
        @Schema(description = "The order's id; also in the Location header.", requiredMode = REQUIRED, format = "uuid",
                example = "3f1e2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b")
        String orderId,
        @Schema(description = "Always PENDING: processing is asynchronous.", requiredMode = REQUIRED,
                allowableValues = "PENDING")
        String status,
        @Schema(description = "The request's correlation id (X-Correlation-Id); for a replayed Idempotency-Key, the "
                + "first request's.", requiredMode = REQUIRED, example = "demo-1")
        String correlationId) {
}
