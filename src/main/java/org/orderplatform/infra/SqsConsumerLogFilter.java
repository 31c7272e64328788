package org.orderplatform.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops the SQS consumer's own report of a failed receive, which {@link PollFailures} already reports. Camel's
 * {@code Sqs2Consumer} (4.18, {@code PollingTask.poll}) catches every failed ReceiveMessage, logs it as an ERROR
 * with the full stack trace, and then rethrows it to the poll strategy, which is {@code #pollFailures}: it reports
 * the outage once when it starts (without a stack trace when SQS is only unreachable), at most once per interval
 * while it lasts, and once when it ends. The component's line came on top of that, once per probe of the shared
 * backoff: during the fault suite's 10 s SQS outage, 624 stack-trace lines in the worker's log. Nothing else of
 * that logger is dropped, and nothing is lost: every error it logs there also reaches {@link PollFailures}.
 * <p>
 * A logback turbo filter, installed from code rather than in logback.xml, so that it holds in every logging
 * configuration the jar runs with (tests use their own) and sits beside the reason it is safe.
 */
public final class SqsConsumerLogFilter extends TurboFilter {
    static final String LOGGER = "org.apache.camel.component.aws2.sqs.Sqs2Consumer";
    private static final String MESSAGE = "Error while polling";

    /** Installs the filter once in logback's context; does nothing with another SLF4J backend. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(SqsConsumerLogFilter.class::isInstance)) {
            SqsConsumerLogFilter filter = new SqsConsumerLogFilter();
            filter.setName("sqs-consumer-duplicates");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // on every logging call of the process: the cheapest test first
        if (level == Level.ERROR && format != null && format.startsWith(MESSAGE) && logger.getName().equals(LOGGER)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
