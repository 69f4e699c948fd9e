package io.courtier.broker.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Collects what the broker logs (logger "courtier", where Mosquitto-worded lines go) so a test
 * can assert on the wording users grep, or on the absence of stack traces. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    /**
     * Event loops append while the test thread reads: logback's ListAppender guards its list
     * with the appender's monitor, not the list's, so reading it while a line was logged threw
     * ConcurrentModificationException. A concurrent queue is safe to iterate at any time.
     */
    private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures the broker's "courtier" logger. */
    public static LogCapture broker() {
        return new LogCapture("courtier");
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Whether any event so far carried an exception (a stack trace in the log). */
    public boolean anyThrowable() {
        return events.stream().anyMatch(e -> e.getThrowableProxy() != null);
    }

    /** Whether some message contains the text. */
    public boolean contains(String text) {
        return messages().stream().anyMatch(m -> m.contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
