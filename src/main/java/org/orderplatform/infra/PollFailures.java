package org.orderplatform.infra;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a polling loop (outbox poller, relay, stale-lock recovery, SQS consumer) does when a poll fails,
 * typically because the database or SQS is away: back off exponentially (up to a maximum) instead of
 * polling again at once, and report the failure once when it starts, then at most once per report
 * interval with the number of failures, then once when it is over. An unavailable database or SQS is
 * reported without a stack trace; any other error gets its stack trace on the first report.
 * <p>
 * Used as the onException step of the polling routes ({@link #failed}, in the route configurations
 * {@code poll-errors} and {@code message-errors}), whose successful runs {@link PollSuccess} reports, and as
 * the {@code pollStrategy} and {@code exceptionHandler} of the SQS consumer, whose concurrent consumers then
 * share one backoff: while it lasts, they skip their polls instead of each failing on its own.
 */
public class PollFailures implements PollingConsumerPollStrategy, ExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PollFailures.class);
    private static final long FIRST_BACKOFF_MS = 100;
    /** Exchange property: {@link #failed} reported this run, so {@link PollSuccess} must not end the episode. */
    static final String FAILED = "orderPlatformPollFailed";

    private final long reportIntervalMs;
    private final long maxBackoffMs;
    private final Map<String, Episode> episodes = new ConcurrentHashMap<>();
    /** When the current consumer thread began its poll. */
    private final ThreadLocal<Long> pollBegan = ThreadLocal.withInitial(() -> 0L);

    public PollFailures(long reportIntervalMs, long maxBackoffMs) {
        this.reportIntervalMs = reportIntervalMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /**
     * A failed run of a polling route: report it (throttled) and, when the database or SQS is away, wait
     * for the backoff before the next run. Other errors (bugs) are reported the same way but not waited on.
     */
    public void failed(Exchange exchange) throws InterruptedException {
        exchange.setProperty(FAILED, true);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        long backoff = record(exchange.getFromRouteId(), cause);
        if (isUnavailable(cause)) {
            TimeUnit.MILLISECONDS.sleep(backoff);
        }
    }

    /** For onWhen: the exchange failed because the database or SQS is away. */
    public boolean unavailable(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return isUnavailable(cause);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        long now = System.currentTimeMillis();
        Episode e = episodes.get(key(endpoint));
        // during a failure episode one consumer probes after each backoff; the others skip their polls
        boolean poll = e == null || e.claimProbe(now);
        if (poll) {
            pollBegan.set(now);
        }
        return poll;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String key = key(endpoint);
        Episode e = episodes.get(key);
        // a long poll that began before the failure and returned empty says nothing about recovery
        if (e != null && pollBegan.get() >= e.startedAt) {
            recovered(key);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        record(key(endpoint), cause);
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException("consumer error", null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /** Errors the SQS consumer reports outside the route (a failed poll, a failed delete): throttled too. */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (message != null && message.startsWith("Failed polling endpoint")) {
            return; // already reported by rollback
        }
        String source = message == null ? "consumer error" : message.replaceAll("[.:].*", "");
        record(source, exception);
    }

    private static String key(Endpoint endpoint) {
        String uri = endpoint.getEndpointBaseUri();
        return uri == null ? endpoint.getEndpointKey() : uri;
    }

    /**
     * Records one failure of {@code source} (a route, an endpoint, or a loop outside any route such as the outbox
     * notifier's thread), reported throttled; returns the backoff before its next attempt.
     */
    public long record(String source, Throwable cause) {
        long now = System.currentTimeMillis();
        Episode e = episodes.computeIfAbsent(source, s -> new Episode(now));
        long backoff;
        boolean first;
        boolean report;
        int failures;
        synchronized (e) {
            e.failures++;
            e.sinceReport++;
            backoff = Math.min(maxBackoffMs, FIRST_BACKOFF_MS << Math.min(20, e.failures - 1));
            e.nextProbeAt = now + backoff;
            first = e.failures == 1;
            report = first || now - e.reportedAt >= reportIntervalMs;
            failures = e.sinceReport;
            if (report) {
                e.reportedAt = now;
                e.sinceReport = 0;
            }
        }
        String what = describe(cause);
        boolean unavailable = isUnavailable(cause);
        if (first && !unavailable) {
            LOG.warn("{}: poll failed, backing off up to {} ms between attempts: {}", source, maxBackoffMs, what, cause);
        } else if (first) {
            LOG.warn("{}: {}; backing off up to {} ms between attempts, reporting at most every {} s",
                    source, what, maxBackoffMs, reportIntervalMs / 1000);
        } else if (report) {
            LOG.warn("{}: still failing, {} failed attempts in the last {} s: {}", source, failures,
                    (reportIntervalMs + 999) / 1000, what);
        }
        return backoff;
    }

    /** A successful run of {@code source} (a route, an endpoint, a loop): ends its failure episode, if there was one. */
    public void recovered(String source) {
        Episode e = episodes.remove(source);
        if (e != null) {
            LOG.info("{}: polling again after {} failed attempts in {} ms", source, e.failures,
                    System.currentTimeMillis() - e.startedAt);
        }
    }

    /** The database or SQS cannot be reached (as opposed to a bug): no stack trace needed. */
    static boolean isUnavailable(Throwable error) {
        return Unavailability.ofDatabaseOrSqs(error);
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "unknown failure";
        }
        String kind = "error";
        Throwable root = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof SQLException) {
                kind = "database unavailable";
            } else if (t.getClass().getName().startsWith("software.amazon.awssdk") && kind.equals("error")) {
                kind = "SQS unavailable";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (!isUnavailable(error)) {
            kind = "error";
        }
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        String text = kind + " (" + message.replaceAll("\\s+", " ") + ")";
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static final class Episode {
        final long startedAt;
        int failures;
        int sinceReport;
        long reportedAt;
        long nextProbeAt;

        Episode(long startedAt) {
            this.startedAt = startedAt;
        }

        synchronized boolean claimProbe(long now) {
            if (now < nextProbeAt) {
                return false;
            }
            // one probe per backoff: the next consumer waits for this probe's outcome
            nextProbeAt = now + FIRST_BACKOFF_MS * 10;
            return true;
        }
    }
}
