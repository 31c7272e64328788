package org.orderplatform.transport.outbox;

import org.junit.jupiter.api.Test;
import org.orderplatform.infra.PollFailures;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wake-up guarantee of {@link OutboxNotifier} without a database: a NOTIFY follows every signal (a signal
 * raised while a NOTIFY runs gets one of its own afterwards), the signals of a burst coalesce, and a failed
 * NOTIFY is tried again. The statements go to a counting stand-in for the pool.
 */
class OutboxNotifierTest {

    /** Counts the NOTIFY statements executed; each waits for {@code gate} when one is set, or fails on demand. */
    static final class CountingDataSource implements DataSource {
        final AtomicInteger executed = new AtomicInteger();
        final AtomicInteger toFail = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile CountDownLatch entered;

        @Override
        public Connection getConnection() {
            PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().equals("execute")) {
                            if (entered != null) {
                                entered.countDown();
                            }
                            if (gate != null) {
                                gate.await();
                            }
                            if (toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                throw new SQLException("connection refused", "08001");
                            }
                            executed.incrementAndGet();
                            return false;
                        }
                        return method.getReturnType() == boolean.class ? false : null;
                    });
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "prepareStatement" -> statement;
                        case "isClosed", "isReadOnly", "getAutoCommit" -> false;
                        default -> null;
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static OutboxNotifier notifier(CountingDataSource db) {
        return new OutboxNotifier(db, 2, new PollFailures(1000, 50));
    }

    @Test
    void a_signal_is_followed_by_one_notify_and_nothing_runs_without_one() throws Exception {
        CountingDataSource db = new CountingDataSource();
        OutboxNotifier notifier = notifier(db);
        notifier.start();
        try {
            assertThat(db.executed).hasValue(0);
            notifier.signal();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.executed).hasValue(1));
            notifier.signal();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.executed).hasValue(2));
        } finally {
            notifier.stop();
        }
    }

    @Test
    void a_signal_raised_while_a_notify_runs_gets_a_notify_after_it() throws Exception {
        CountingDataSource db = new CountingDataSource();
        db.gate = new CountDownLatch(1);
        db.entered = new CountDownLatch(1);
        OutboxNotifier notifier = notifier(db);
        notifier.start();
        try {
            notifier.signal();
            db.entered.await();
            // the NOTIFY of the first signal is under way (it may not see what committed after it started)
            for (int i = 0; i < 1000; i++) {
                notifier.signal();
            }
            db.gate.countDown();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.executed).hasValue(2));
        } finally {
            notifier.stop();
        }
        // the 1,000 signals of the burst coalesced into that one
        assertThat(db.executed).hasValue(2);
    }

    @Test
    void a_signal_before_start_is_notified_once_started() throws Exception {
        CountingDataSource db = new CountingDataSource();
        OutboxNotifier notifier = notifier(db);
        notifier.signal();
        notifier.start();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.executed).hasValue(1));
        } finally {
            notifier.stop();
        }
    }

    @Test
    void a_failed_notify_is_tried_again_until_it_goes_through() throws Exception {
        CountingDataSource db = new CountingDataSource();
        db.toFail.set(2);
        OutboxNotifier notifier = notifier(db);
        notifier.start();
        try {
            notifier.signal();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.executed).hasValue(1));
            assertThat(db.toFail).hasValue(0);
        } finally {
            notifier.stop();
        }
    }
}
