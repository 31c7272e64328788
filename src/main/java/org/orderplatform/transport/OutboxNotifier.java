package org.orderplatform.transport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The intake side of the outbox wake-up: tells worker processes that committed events wait, with a
 * PostgreSQL {@code NOTIFY} on {@link OutboxListener#CHANNEL}. Called after intake's commit, never inside
 * it: a NOTIFY in every intake transaction would serialise their commits on PostgreSQL's notification
 * lock. The route (order-accepted) coalesces bursts into one call at a time, so a flood of orders costs
 * a few hundred notifications per second at most.
 */
public class OutboxNotifier {
    /**
     * One statement in its own transaction. A NOTIFY gets a transaction id, so its commit would wait for
     * a WAL flush; nothing durable is written, so that commit is made asynchronous. A notification lost
     * in a crash only means the worker's next poll finds the events.
     */
    private static final String NOTIFY =
            "SELECT set_config('synchronous_commit', 'off', true), pg_notify('" + OutboxListener.CHANNEL + "', '')";

    private final DataSource dataSource;

    public OutboxNotifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void notifyWorkers() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(NOTIFY);
        }
    }
}
