package org.orderplatform.transport;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InprocessContractTest extends TransportContract {
    @Override
    protected Map<String, String> transport() {
        return Map.of("orders.transport", "inprocess");
    }

    @Test
    void only_role_all_may_run_inprocess() {
        Db db = new Db(TestDatabase.newDatabase("inprocess_roles"));
        assertThatThrownBy(() -> Platform.start(config(db, "orders.role", "worker")).close())
                .hasMessageContaining("orders.transport=inprocess needs orders.role=all");
    }
}
