package io.courtier.broker.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code log_dest}, {@code log_type}, {@code log_timestamp}, {@code log_timestamp_format}.
 * As in Mosquitto the first {@code log_dest} (or {@code log_type}) replaces the default and
 * later ones add to it; {@code none} clears what was set.
 */
final class LoggingDirectives {

    /** Mosquitto's log types, in its order; {@code all} and {@code none} are shorthands. */
    static final List<String> TYPES = List.of("error", "warning", "notice", "information", "subscribe",
            "unsubscribe", "websockets", "debug");

    private LoggingDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        switch (l.name()) {
            case "log_dest" -> logDest(l, s);
            case "log_type" -> logType(l, s);
            case "log_timestamp" -> s.builder.logTimestamp = Values.bool(l);
            case "log_timestamp_format" -> s.builder.logTimestampFormat = Values.string(l);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void logDest(ConfigLine l, ConfigState s) throws ConfigException {
        String v = Values.string(l);
        String[] words = v.split("\\s+", 2);
        List<LogDestination> dests = s.logDest();
        LogDestination d = switch (words[0]) {
            case "stdout" -> LogDestination.STDOUT;
            case "stderr" -> LogDestination.STDERR;
            case "syslog" -> LogDestination.SYSLOG;
            case "topic" -> LogDestination.TOPIC;
            case "none" -> null;
            case "file" -> LogDestination.file(logFile(l, words.length > 1 ? words[1].strip() : ""));
            case "dlt" -> throw l.error("Invalid log_dest value (dlt): Courtier has no DLT support.");
            default -> throw l.error("Invalid log_dest value (" + v
                    + "): must be stdout, stderr, file PATH, syslog, topic or none.");
        };
        if (d == null) {
            dests.clear();
            return;
        }
        if (d.kind() == LogDestination.Kind.FILE && dests.stream().anyMatch(x -> x.kind() == LogDestination.Kind.FILE)) {
            throw l.error("Duplicate \"log_dest file\" value: only one log file may be configured.");
        }
        if (!dests.contains(d)) {
            dests.add(d);
        }
    }

    /** The log file must be writable now: a typo is reported with FILE:LINE, not lost at run time. */
    private static Path logFile(ConfigLine l, String value) throws ConfigException {
        if (value.isEmpty()) {
            throw l.error("Empty log_dest file value in configuration.");
        }
        Path p = Path.of(value);
        Path dir = p.toAbsolutePath().getParent();
        boolean ok = Files.exists(p) ? Files.isRegularFile(p) && Files.isWritable(p)
                : dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
        if (!ok) {
            throw l.error("Unable to open log file " + p + " for writing.");
        }
        return p;
    }

    private static void logType(ConfigLine l, ConfigState s) throws ConfigException {
        String v = Values.word(l);
        Set<String> types = s.logTypes();
        switch (v) {
            case "all" -> types.addAll(TYPES);
            case "none" -> types.clear();
            default -> {
                if (!TYPES.contains(v)) {
                    throw l.error("Invalid log_type value (" + v + "): must be one of " + String.join(", ", TYPES)
                            + ", all or none.");
                }
                types.add(v);
            }
        }
    }
}
