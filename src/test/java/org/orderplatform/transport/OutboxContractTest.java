package org.orderplatform.transport;

import java.util.Map;

class OutboxContractTest extends TransportContract {
    @Override
    protected Map<String, String> transport() {
        return Map.of("orders.transport", "outbox");
    }
}
