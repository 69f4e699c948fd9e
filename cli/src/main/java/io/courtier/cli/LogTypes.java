package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;

/**
 * Mosquitto's {@code log_type} over SLF4J. Events of the loggers {@code courtier.subscribe},
 * {@code courtier.unsubscribe} and {@code courtier.websockets} are those types; any other event
 * is typed by its level: ERROR error, WARN warning, INFO notice or information (SLF4J has one
 * level for both, so either type lets INFO through), DEBUG and TRACE debug.
 */
final class LogTypes extends Filter<ILoggingEvent> {

    private final Set<String> enabled;

    LogTypes(Set<String> enabled) {
        this.enabled = Set.copyOf(enabled);
    }

    /** Mosquitto's type names for an event (two for INFO). */
    static String[] typesOf(ILoggingEvent e) {
        String logger = e.getLoggerName();
        if (logger.startsWith("courtier.")) {
            String suffix = logger.substring("courtier.".length());
            if (suffix.equals("subscribe") || suffix.equals("unsubscribe") || suffix.equals("websockets")) {
                return new String[] {suffix};
            }
        }
        return typesOf(e.getLevel());
    }

    static String[] typesOf(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> new String[] {"error"};
            case Level.WARN_INT -> new String[] {"warning"};
            case Level.INFO_INT -> new String[] {"notice", "information"};
            default -> new String[] {"debug"};
        };
    }

    boolean allows(ILoggingEvent e) {
        for (String t : typesOf(e)) {
            if (enabled.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** The most detailed level any enabled type needs: the root logger's level. */
    Level rootLevel() {
        if (enabled.contains("debug")) {
            return Level.DEBUG;
        }
        if (enabled.contains("notice") || enabled.contains("information") || enabled.contains("subscribe")
                || enabled.contains("unsubscribe") || enabled.contains("websockets")) {
            return Level.INFO;
        }
        if (enabled.contains("warning")) {
            return Level.WARN;
        }
        return enabled.contains("error") ? Level.ERROR : Level.OFF;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return allows(event) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
