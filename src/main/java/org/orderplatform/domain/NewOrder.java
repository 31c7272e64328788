package org.orderplatform.domain;

import java.math.BigDecimal;
import java.util.List;

/** A validated order request. The total is always computed here, never taken from the client. */
public record NewOrder(String customerId, String currency, List<OrderLine> items) {
    public NewOrder {
        items = List.copyOf(items);
    }

    public BigDecimal total() {
        return items.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
