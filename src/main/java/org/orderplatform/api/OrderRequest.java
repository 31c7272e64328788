package org.orderplatform.api;

import java.math.BigDecimal;
import java.util.List;

/**
 * The documented shape of {@code POST /orders} (OpenAPI). {@link OrderRequestParser} enforces the rules:
 * customerId 1-64 of [A-Za-z0-9._-], currency three upper-case letters, 1-100 items, no other fields.
 */
public record OrderRequest(String customerId, String currency, List<Item> items) {

    /** sku 1-64 visible characters (no control, format, separator but the space, private-use, unassigned or noncharacter code points), quantity 1-10000, unitPrice 0-99999999.99 with at most 2 decimals. */
    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }
}
