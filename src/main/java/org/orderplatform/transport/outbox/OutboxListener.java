package org.orderplatform.transport.outbox;

import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * The worker side of the outbox wake-up: a dedicated PostgreSQL connection (outside the pool) that
 * {@code LISTEN}s on {@link #CHANNEL} and calls {@code wakeUp} for each batch of notifications, so that a
 * worker in another process claims an accepted order within milliseconds instead of at its next poll.
 * <p>
 * Only a shortcut: the poll still runs, so a lost connection or notification delays events by at most
 * one poll interval. While the connection is down the listener reconnects with a growing pause (up to
 * {@code maxBackoffMs}), reports the loss once and the recovery once, and wakes the worker on every
 * (re)connect for whatever arrived meanwhile.
 */
public class OutboxListener extends ServiceSupport {
    public static final String CHANNEL = "outbox_ready";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);
    /** How long one wait for notifications lasts before the connection is checked and stop is noticed. */
    private static final int WAIT_MS = 5_000;

    /** Opens a new connection to the orders database. */
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final ConnectionFactory connections;
    private final Runnable wakeUp;
    private final long maxBackoffMs;
    private volatile boolean running;
    private volatile Connection current;
    private Thread thread;

    public OutboxListener(ConnectionFactory connections, Runnable wakeUp, long maxBackoffMs) {
        this.connections = Objects.requireNonNull(connections);
        this.wakeUp = Objects.requireNonNull(wakeUp);
        this.maxBackoffMs = maxBackoffMs;
    }

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::run, "outbox-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        closeQuietly(current);
        if (thread != null) {
            thread.interrupt();
            thread.join(WAIT_MS);
        }
    }

    private void run() {
        long backoff = 100;
        boolean lost = false;
        while (running) {
            try (Connection c = connections.open()) {
                current = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (lost) {
                    LOG.info("Listening for outbox notifications again");
                    lost = false;
                }
                backoff = 100;
                wakeUp();
                listen(c.unwrap(PGConnection.class), c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!lost) {
                    LOG.warn("Not listening for outbox notifications ({}); the poll alone finds new events until the "
                            + "connection is back", e.getMessage());
                    lost = true;
                }
                if (!pause(backoff)) {
                    break;
                }
                backoff = Math.min(maxBackoffMs, backoff * 2);
            } finally {
                current = null;
            }
        }
    }

    private void listen(PGConnection pg, Connection c) throws SQLException {
        while (running) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MS);
            if (notifications != null && notifications.length > 0) {
                wakeUp();
            } else if (!c.isValid(2)) {
                throw new SQLException("the listening connection is no longer valid");
            }
        }
    }

    /** The routes may not run yet (start-up) or any more (shutdown): then the poll does the work. */
    private void wakeUp() {
        try {
            wakeUp.run();
        } catch (RuntimeException e) {
            LOG.debug("Could not wake the outbox drain: {}", e.getMessage());
        }
    }

    private boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // stopping anyway
            }
        }
    }
}
