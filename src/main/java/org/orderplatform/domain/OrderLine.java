package org.orderplatform.domain;

import java.math.BigDecimal;

/** One line of an order, as validated at intake. */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {
    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
