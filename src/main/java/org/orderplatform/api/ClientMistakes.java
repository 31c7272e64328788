package org.orderplatform.api;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests that failed through the client's fault, not the service's: a body whose chunked framing cannot be
 * decoded, a client that hung up in the middle of its body. Each was an ERROR with a stack trace; 50 such requests
 * wrote 70 ERROR lines, 15 times the bytes sent, so a careless or hostile client could fill the disk and bury real
 * errors. Now they are counted and reported in one short INFO line at most once per report interval
 * (orders.poll.report-interval-ms, as the outage reports), each one at DEBUG.
 */
final class ClientMistakes {
    private static final Logger LOG = LoggerFactory.getLogger(ClientMistakes.class);

    private final long reportIntervalMs;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextReportAt = new AtomicLong();

    ClientMistakes(long reportIntervalMs) {
        this.reportIntervalMs = reportIntervalMs;
    }

    /** The connection went away before the request was read: nobody is left to answer. */
    static boolean isHangUp(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof IOException) {
                return true;
            }
            if (t instanceof VertxException && "Connection was closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The request's body could not be decoded (a chunk size that is not hexadecimal, a chunk line too long): Netty
     * reports it as the cause of a failed body, a NumberFormatException or a DecoderException.
     */
    static boolean isUndecodable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DecoderException || t instanceof TooLongFrameException || t instanceof NumberFormatException) {
                return true;
            }
        }
        return false;
    }

    /** Counts one mistake; {@code what} is a short, safe description (method, path, kind). */
    void report(String what, Throwable failure) {
        count.incrementAndGet();
        LOG.debug("Client mistake: {} ({})", what, failure == null ? "" : failure.getClass().getSimpleName());
        long now = System.currentTimeMillis();
        long next = nextReportAt.get();
        if (now >= next && nextReportAt.compareAndSet(next, now + reportIntervalMs)) {
            LOG.info("{} request(s) failed through the client since the last report, last: {} ({}); details at DEBUG",
                    count.getAndSet(0), what, failure == null ? "" : failure.getClass().getSimpleName());
        }
    }
}
