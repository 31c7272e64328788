package org.orderplatform.api;

import java.util.List;

/**
 * The body of {@code POST /dlq/reprocess} as the API document shows it; the service reads it with
 * {@link OrderIdsParser}, which enforces the rules (1 to orders.api.reprocess-max-ids distinct UUIDs).
 */
public record OrderIdsRequest(List<String> orderIds) {
}
