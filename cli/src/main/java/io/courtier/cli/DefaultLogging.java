package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, until {@link LoggingSetup} applies the logging directives:
 * Mosquitto's line ({@code EPOCH: message}) on stderr, Netty's chatter above WARN only. Set up in
 * code, found through {@code META-INF/services}, because a {@code logback.xml} brings Logback's
 * XML configurator and the JDK's SAX parser along: about 500 classes (5 MB) and a tenth of a
 * second at start-up, for four lines. {@code -Dlogback.configurationFile=FILE} still wins.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(LoggingSetup.mosquittoEncoder(ctx, true, null));
        stderr.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        // The cluster says in its own lines who joins and leaves; Hazelcast speaks only of trouble.
        ctx.getLogger("com.hazelcast").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
