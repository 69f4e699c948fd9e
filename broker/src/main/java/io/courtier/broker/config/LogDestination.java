package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * One {@code log_dest}: where log lines go. {@code file} is set only for {@link Kind#FILE}.
 * {@code log_dest none} is an empty list of destinations.
 */
public record LogDestination(Kind kind, Path file) {

    public enum Kind {
        STDOUT, STDERR, FILE, TOPIC, SYSLOG
    }

    public static final LogDestination STDERR = new LogDestination(Kind.STDERR, null);
    public static final LogDestination STDOUT = new LogDestination(Kind.STDOUT, null);
    public static final LogDestination TOPIC = new LogDestination(Kind.TOPIC, null);
    public static final LogDestination SYSLOG = new LogDestination(Kind.SYSLOG, null);

    public static LogDestination file(Path path) {
        return new LogDestination(Kind.FILE, path);
    }
}
