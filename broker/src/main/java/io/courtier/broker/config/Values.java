package io.courtier.broker.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses and checks directive values the way Mosquitto does, but strictly: a value that
 * Mosquitto would silently misread (trailing words, letters in a number) is an error here.
 * Messages start with Mosquitto's own wording ("Invalid max_qos value (3)") and add why.
 */
final class Values {

    /** The largest payload and packet MQTT can carry (remaining length limit). */
    static final int MQTT_MAX_SIZE = 268_435_455;

    private Values() {
    }

    /** The whole rest of the line; Mosquitto's "Empty X value" when there is none. */
    static String string(ConfigLine l) throws ConfigException {
        if (l.value().isEmpty()) {
            throw l.error("Empty " + l.name() + " value in configuration.");
        }
        return l.value();
    }

    /** A single word: values with spaces in them are refused. */
    static String word(ConfigLine l) throws ConfigException {
        String v = string(l);
        if (v.split("\\s+").length > 1) {
            throw l.error("Invalid " + l.name() + " value (" + v + "): expected a single word.");
        }
        return v;
    }

    /** {@code true}/{@code false} (Mosquitto also reads 1 and 0). */
    static boolean bool(ConfigLine l) throws ConfigException {
        return switch (string(l)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw l.error("Invalid " + l.name() + " value (" + l.value() + "): must be true or false.");
        };
    }

    static int integer(ConfigLine l, int min, int max) throws ConfigException {
        long n = number(l);
        if (n < min || n > max) {
            throw l.error("Invalid " + l.name() + " value (" + l.value() + "): must be between " + min + " and "
                    + max + ".");
        }
        return (int) n;
    }

    /** A whole number where Mosquitto reads any negative value as "no limit" (0). */
    static long limit(ConfigLine l, long max) throws ConfigException {
        long n = number(l);
        if (n > max) {
            throw l.error("Invalid " + l.name() + " value (" + l.value() + "): must be at most " + max + ".");
        }
        return Math.max(n, 0);
    }

    static long number(ConfigLine l) throws ConfigException {
        String v = string(l);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw l.error("Invalid " + l.name() + " value (" + v + "): not a whole number.");
        }
    }

    /**
     * {@code persistent_client_expiration}: a count followed by h, d, w, m or y (hour, day,
     * week, month of 30 days, year of 365 days), in seconds.
     */
    static long duration(ConfigLine l) throws ConfigException {
        String v = word(l);
        long unit = switch (v.charAt(v.length() - 1)) {
            case 'h' -> 3600L;
            case 'd' -> 86_400L;
            case 'w' -> 7 * 86_400L;
            case 'm' -> 30 * 86_400L;
            case 'y' -> 365 * 86_400L;
            default -> 0;
        };
        String count = v.substring(0, v.length() - 1);
        if (unit == 0 || count.isEmpty() || !count.chars().allMatch(Character::isDigit) || count.length() > 9) {
            throw l.error("Invalid persistent_client_expiration duration in configuration (" + v
                    + "): expected a number followed by h, d, w, m or y, e.g. 14d.");
        }
        return Long.parseLong(count) * unit;
    }

    /** One of a fixed set of words, lower case as Mosquitto spells them. */
    static String oneOf(ConfigLine l, String... allowed) throws ConfigException {
        String v = string(l);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw l.error("Invalid " + l.name() + " value (" + v + "): must be " + String.join(", ", allowed) + ".");
    }

    /** A path that is not read at start-up (created later, e.g. the pid file). */
    static Path path(ConfigLine l) throws ConfigException {
        return Path.of(string(l));
    }

    /** A file the broker must read at start-up: checked now so a typo stops start-up with FILE:LINE. */
    static Path readableFile(ConfigLine l) throws ConfigException {
        Path p = path(l);
        if (!Files.exists(p)) {
            throw l.error("Unable to open " + l.name() + " \"" + p + "\": no such file.");
        }
        if (Files.isDirectory(p)) {
            throw l.error("Unable to open " + l.name() + " \"" + p + "\": it is a directory.");
        }
        if (!Files.isReadable(p)) {
            throw l.error("Unable to open " + l.name() + " \"" + p + "\": permission denied.");
        }
        return p;
    }

    /** A directory the broker must read at start-up. */
    static Path readableDirectory(ConfigLine l) throws ConfigException {
        Path p = path(l);
        if (!Files.isDirectory(p)) {
            throw l.error("Unable to open " + l.name() + " \"" + p + "\": no such directory.");
        }
        if (!Files.isReadable(p)) {
            throw l.error("Unable to open " + l.name() + " \"" + p + "\": permission denied.");
        }
        return p;
    }
}
