package org.orderplatform.transport.outbox;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.infra.SqlStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The intake side of the outbox wake-up: tells worker processes that committed events wait, with a
 * PostgreSQL {@code NOTIFY} on {@link OutboxListener#CHANNEL}. Sent after intake's commit, never inside
 * it: a NOTIFY in every intake transaction would serialise their commits on PostgreSQL's notification
 * lock.
 * <p>
 * Intake only raises a flag ({@link #process}, the {@code signalOutboxWorkers} step of the route
 * outbox-order-accepted, after the commit): no exchange is copied and no statement is run per order. One
 * thread of this service sends the NOTIFYs: it clears the flag, sends one NOTIFY, pauses
 * {@code orders.outbox.notify-interval-ms}, and goes on while the flag is raised again. A flag raised after the
 * clearing is seen at the next turn, so a NOTIFY follows every commit; the signals of a burst coalesce into
 * one NOTIFY per pause. A failed NOTIFY is reported through {@link PollFailures} (throttled, with backoff);
 * the flag is raised again so that the next attempt covers it, and meanwhile the workers' poll finds the
 * events.
 */
public class OutboxNotifier extends ServiceSupport implements Processor {
    /** The key of the failures of this loop in {@link PollFailures}, as the route of that name used to report. */
    static final String SOURCE = "outbox-notify";
    /** One statement in a transaction of its own, committed asynchronously (see the file). */
    private static final SqlStatement NOTIFY = SqlStatement.load("notify-workers");

    private final DataSource dataSource;
    private final long intervalMs;
    private final PollFailures failures;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread thread;

    /** Sends NOTIFYs only once started (a Camel service); a signal before that waits for the start. */
    public OutboxNotifier(DataSource dataSource, long intervalMs, PollFailures failures) {
        this.dataSource = dataSource;
        this.intervalMs = intervalMs;
        this.failures = failures;
    }

    /** The intake step: committed events wait. Cheap: one read of the flag while a NOTIFY is already due. */
    @Override
    public void process(Exchange exchange) {
        signal();
    }

    /** Committed events wait: a NOTIFY follows (coalesced with the other signals until it is sent). */
    public void signal() {
        if (!pending.get() && !pending.getAndSet(true)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** One NOTIFY now, on a pooled connection. */
    public void notifyWorkers() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = NOTIFY.prepare(c)) {
            NOTIFY.bind(s, OutboxListener.CHANNEL);
            s.execute();
        }
    }

    @Override
    protected void doStart() {
        running = true;
        Thread t = new Thread(this::run, "outbox-notifier");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join(5_000);
        }
        thread = null;
        if (pending.getAndSet(false)) {
            // the last signals before stop: told now rather than left to the workers' next poll
            try {
                notifyWorkers();
            } catch (SQLException | RuntimeException e) {
                failures.record(SOURCE, e);
            }
        }
    }

    /** Waits {@code ms}, whatever signals arrive meanwhile (they coalesce into the next NOTIFY); stop ends it. */
    private void pause(long ms) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left = deadline - System.nanoTime(); running && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private void run() {
        while (running) {
            if (!pending.getAndSet(false)) {
                // a signal between the getAndSet and the park leaves a permit: park returns at once
                LockSupport.park(this);
                continue;
            }
            long pause = intervalMs;
            try {
                notifyWorkers();
                failures.recovered(SOURCE);
            } catch (SQLException | RuntimeException e) {
                // not sent: the next attempt covers these events (the poll finds them meanwhile)
                pending.set(true);
                pause = Math.max(pause, failures.record(SOURCE, e));
            }
            pause(pause);
        }
    }
}
