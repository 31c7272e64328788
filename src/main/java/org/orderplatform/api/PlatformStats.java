package org.orderplatform.api;

import java.util.Map;

/**
 * {@code GET /stats}: what the operator console's overview shows, read from the database in one
 * statement. Rates are not here: the console derives them from successive {@code orders} counts.
 *
 * @param at       the database's clock when the counts were taken (ISO-8601, UTC)
 * @param orders   orders by status (every status present, 0 when none) and {@code total}
 * @param outbox   events not yet done ({@code backlog}) and the age of the oldest, in seconds
 * @param dlq      entries in the business dead-letter queue
 */
public record PlatformStats(String at, Map<String, Long> orders, Outbox outbox, long dlq) {
    public record Outbox(long backlog, double oldestAgeSeconds) {
    }
}
