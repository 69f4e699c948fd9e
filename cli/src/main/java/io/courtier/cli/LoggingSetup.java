package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.LogDestination;
import io.courtier.broker.ingest.Ingest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from the logging directives: {@code log_dest} (stdout, stderr, file,
 * topic, none), {@code log_type}, {@code log_timestamp}, {@code log_timestamp_format}, and the
 * {@code -v} flag (all types, overriding the file, as {@code mosquitto -v}). Replaces what
 * {@link DefaultLogging} set up, keeping its line shape {@code EPOCH: message}.
 */
public final class LoggingSetup {

    private static final List<FileAppender<ILoggingEvent>> FILES = new ArrayList<>();
    private static TopicAppender topic;

    private LoggingSetup() {
    }

    public static synchronized void apply(BrokerConfig config, boolean verbose) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        FILES.clear();
        topic = null;

        Set<String> types = new HashSet<>(config.logTypes());
        if (verbose) {
            types.add("debug");
            types.add("error");
            types.add("warning");
            types.add("notice");
            types.add("information");
            types.add("subscribe");
            types.add("unsubscribe");
            types.add("websockets");
        }
        LogTypes filter = new LogTypes(types);
        filter.setContext(ctx);
        filter.start();
        for (LogDestination d : config.logDest()) {
            Appender<ILoggingEvent> a = appender(ctx, d, config);
            a.addFilter(filter);
            a.start();
            root.addAppender(a);
        }
        root.setLevel(filter.rootLevel());
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        // The cluster says in its own lines who joins and leaves; Hazelcast speaks only of trouble.
        ctx.getLogger("com.hazelcast").setLevel(Level.WARN);
    }

    private static Appender<ILoggingEvent> appender(LoggerContext ctx, LogDestination d, BrokerConfig config) {
        if (d.kind() == LogDestination.Kind.SYSLOG) {
            SyslogAppender syslog = new SyslogAppender(System.getProperty("courtier.syslog", "/dev/log"));
            syslog.setContext(ctx);
            syslog.setName("syslog");
            return syslog;
        }
        if (d.kind() == LogDestination.Kind.TOPIC) {
            topic = new TopicAppender();
            topic.setContext(ctx);
            topic.setName("topic");
            return topic;
        }
        OutputStreamAppender<ILoggingEvent> a;
        switch (d.kind()) {
            case FILE -> {
                FileAppender<ILoggingEvent> f = new FileAppender<>();
                f.setFile(d.file().toString());
                f.setAppend(true);
                FILES.add(f);
                a = f;
            }
            case STDOUT -> {
                ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
                c.setTarget("System.out");
                a = c;
            }
            default -> {
                ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
                c.setTarget("System.err");
                a = c;
            }
        }
        a.setContext(ctx);
        a.setName(d.kind().name().toLowerCase());
        a.setEncoder(mosquittoEncoder(ctx, config.logTimestamp(), config.logTimestampFormat()));
        return a;
    }

    /** Mosquitto's line shape ({@link MosquittoLayout}), started, for an output-stream appender. */
    static LayoutWrappingEncoder<ILoggingEvent> mosquittoEncoder(LoggerContext ctx, boolean timestamp, String format) {
        MosquittoLayout layout = new MosquittoLayout(timestamp, format);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /** Lets {@code log_dest topic} publish once the broker runs. */
    public static synchronized void attach(Ingest broker) {
        if (topic != null) {
            topic.attach(broker);
        }
    }

    /** Closes and reopens the log file (SIGHUP, after logrotate moved it). */
    public static synchronized void reopenFiles() {
        for (FileAppender<ILoggingEvent> f : FILES) {
            f.stop();
            f.start();
        }
    }
}
