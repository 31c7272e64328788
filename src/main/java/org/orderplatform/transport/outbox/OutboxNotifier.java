package org.orderplatform.transport.outbox;

import org.orderplatform.infra.SqlStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The intake side of the outbox wake-up: tells worker processes that committed events wait, with a
 * PostgreSQL {@code NOTIFY} on {@link OutboxListener#CHANNEL}. Called after intake's commit, never inside
 * it: a NOTIFY in every intake transaction would serialise their commits on PostgreSQL's notification
 * lock. The route (order-accepted) coalesces bursts into one call at a time, so a flood of orders costs
 * a few hundred notifications per second at most.
 */
public class OutboxNotifier {
    /** One statement in a transaction of its own, committed asynchronously (see the file). */
    private static final SqlStatement NOTIFY = SqlStatement.load("notify-workers");

    private final DataSource dataSource;

    public OutboxNotifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void notifyWorkers() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = NOTIFY.prepare(c)) {
            NOTIFY.bind(s, OutboxListener.CHANNEL);
            s.execute();
        }
    }
}
