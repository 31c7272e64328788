package org.orderplatform.transport.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderplatform.infra.PollFailures;
import org.orderplatform.support.LogCapture;
import org.orderplatform.support.TestDatabase;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wake-up guarantee of {@link OutboxNotifier} on the real embedded PostgreSQL: a NOTIFY follows every signal
 * (a signal raised while a NOTIFY is under way gets one of its own afterwards), the signals of a burst coalesce,
 * and a failed NOTIFY is reported and tried again until it goes through. The NOTIFYs are counted where the
 * workers see them: on a connection of its own that {@code LISTEN}s on {@link OutboxListener#CHANNEL}.
 */
class OutboxNotifierTest {
    /** How long no further notification must arrive before a count is taken as final. */
    private static final int QUIET_MS = 500;

    private final String url = TestDatabase.newDatabase("outbox_notifier");
    private Listener listener;
    private HikariDataSource pool;

    @BeforeEach
    void listen() throws SQLException {
        listener = new Listener(url);
    }

    @AfterEach
    void close() throws SQLException {
        listener.close();
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void a_signal_is_followed_by_one_notify_and_nothing_runs_without_one() throws Exception {
        OutboxNotifier notifier = new OutboxNotifier(pool(2), 2, new PollFailures(1000, 50));
        notifier.start();
        try {
            assertThat(listener.countUntilQuiet()).as("no signal, no NOTIFY").isZero();
            notifier.signal();
            assertThat(listener.countUntilQuiet()).isEqualTo(1);
            notifier.signal();
            assertThat(listener.countUntilQuiet()).isEqualTo(1);
        } finally {
            notifier.stop();
        }
    }

    @Test
    void a_signal_raised_while_a_notify_is_under_way_gets_a_notify_after_it() throws Exception {
        // the pool's one connection is taken: the notifier's first NOTIFY waits for it, its flag already cleared
        HikariDataSource single = pool(1);
        Connection taken = single.getConnection();
        OutboxNotifier notifier = new OutboxNotifier(single, 2, new PollFailures(1000, 50));
        notifier.start();
        try {
            notifier.signal();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> single.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);
            // what commits now may not be seen by the NOTIFY under way: these signals need one of their own
            for (int i = 0; i < 1000; i++) {
                notifier.signal();
            }
            taken.close();
            // the NOTIFY under way, then one for the 1,000 signals raised meanwhile (they coalesce)
            assertThat(listener.countUntilQuiet()).isEqualTo(2);
        } finally {
            notifier.stop();
        }
    }

    @Test
    void the_signals_of_a_burst_coalesce_into_one_notify_per_interval() throws Exception {
        long intervalMs = 50;
        OutboxNotifier notifier = new OutboxNotifier(pool(2), intervalMs, new PollFailures(1000, 50));
        notifier.start();
        long burstMs;
        int signals = 0;
        try {
            // a signal about every millisecond for half a second, as from intake under load
            long began = System.nanoTime();
            while (System.nanoTime() - began < TimeUnit.MILLISECONDS.toNanos(500)) {
                notifier.signal();
                signals++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            burstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        } finally {
            notifier.stop();
        }
        // one NOTIFY per interval while the burst lasts, plus the first one and the one after its end
        assertThat(listener.countUntilQuiet()).as("NOTIFYs for %d signals in %d ms", signals, burstMs)
                .isBetween(1, (int) (burstMs / intervalMs) + 2);
    }

    @Test
    void a_signal_before_start_is_notified_once_started() throws Exception {
        OutboxNotifier notifier = new OutboxNotifier(pool(2), 2, new PollFailures(1000, 50));
        notifier.signal();
        assertThat(listener.countUntilQuiet()).as("not started, nothing sent").isZero();
        notifier.start();
        try {
            assertThat(listener.countUntilQuiet()).isEqualTo(1);
        } finally {
            notifier.stop();
        }
    }

    @Test
    void a_failed_notify_is_reported_and_tried_again_until_it_goes_through() throws Exception {
        // a connection per NOTIFY, refused while the database does not accept connections (the listener's stays)
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(url);
        direct.setUser("postgres");
        OutboxNotifier notifier = new OutboxNotifier(direct, 2, new PollFailures(100, 20));
        try (LogCapture log = new LogCapture()) {
            acceptConnections(false);
            notifier.start();
            try {
                notifier.signal();
                // reported once when it starts, then as "still failing" with the attempts since: it is retried
                await().atMost(Duration.ofSeconds(5)).until(() -> !log.mentioning(OutboxNotifier.SOURCE + ": still failing").isEmpty());
                assertThat(listener.countUntilQuiet()).as("nothing sent while refused").isZero();
                acceptConnections(true);
                assertThat(listener.countUntilQuiet()).as("the retry that goes through").isEqualTo(1);
                assertThat(log.mentioning(OutboxNotifier.SOURCE + ": polling again after")).hasSize(1);
            } finally {
                notifier.stop();
            }
        } finally {
            acceptConnections(true);
        }
    }

    private HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        pool = new HikariDataSource(config);
        return pool;
    }

    /** Lets (or no longer lets) new connections into the test's database; the ones open stay. */
    private void acceptConnections(boolean allow) throws SQLException {
        String database = url.replaceAll("^.*/([^/?]+).*$", "$1");
        DataSource server = TestDatabase.server().getPostgresDatabase();
        try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS " + allow);
        }
    }

    /** A worker's view: a connection of its own that LISTENs on the channel and counts what arrives. */
    private static final class Listener implements AutoCloseable {
        private final Connection connection;

        Listener(String url) throws SQLException {
            connection = DriverManager.getConnection(url, "postgres", "");
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN " + OutboxListener.CHANNEL);
            }
        }

        /** The notifications that arrive until none has for {@link #QUIET_MS}. */
        int countUntilQuiet() throws SQLException {
            int count = 0;
            for (PGNotification[] batch = receive(); batch.length > 0; batch = receive()) {
                for (PGNotification n : batch) {
                    assertThat(n.getName()).isEqualTo(OutboxListener.CHANNEL);
                }
                count += batch.length;
            }
            return count;
        }

        private PGNotification[] receive() throws SQLException {
            PGNotification[] batch = connection.unwrap(PGConnection.class).getNotifications(QUIET_MS);
            return batch == null ? new PGNotification[0] : batch;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
