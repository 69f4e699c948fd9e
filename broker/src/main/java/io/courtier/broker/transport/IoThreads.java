package io.courtier.broker.transport;

/**
 * How many event loops serve client connections: {@code -Dcourtier.ioThreads=N}, else one fewer
 * than the cores, and at least one.
 *
 * <p>Why not one per core: a message from a publisher on one loop to a subscriber on another
 * wakes the second loop's thread, and when every core already runs a loop, that thread waits
 * behind the JVM's own threads (GC, JIT, persistence, password hashing) and the kernel's network
 * work. On a 2-core machine two loops gave a QoS 1 p99 of 0.7–2.3 ms at 5,000 msg/s, one loop
 * 0.3–0.6 ms (Mosquitto 0.3 ms), and one loop still routed 2–9× Mosquitto's fan-in and fan-out
 * rates (README, "Performance").
 */
public final class IoThreads {
    public static final String PROPERTY = "courtier.ioThreads";

    private IoThreads() {
    }

    /** The configured count; an {@link IllegalStateException} says what is wrong with a bad one. */
    public static int configured() {
        return parse(System.getProperty(PROPERTY), Runtime.getRuntime().availableProcessors());
    }

    static int parse(String value, int cores) {
        if (value == null || value.isBlank()) {
            return Math.max(1, cores - 1);
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalStateException("-D" + PROPERTY + " must be a whole number of 1 or more, not '" + value + "'.");
    }
}
