package io.courtier.broker.sys;

/**
 * An exponentially weighted moving average of a per-minute rate, like a Unix load average and
 * like Mosquitto's broker/load topics: each update moves the average toward the rate seen since
 * the last one, by a weight that depends on the elapsed time and the window (1, 5 or 15 min).
 */
final class LoadAverage {
    private final double windowSeconds;
    private double value;

    LoadAverage(int windowMinutes) {
        this.windowSeconds = windowMinutes * 60.0;
    }

    void update(long delta, double elapsedSeconds) {
        if (elapsedSeconds <= 0) {
            return;
        }
        double perMinute = delta / elapsedSeconds * 60.0;
        double decay = Math.exp(-elapsedSeconds / windowSeconds);
        value = perMinute + decay * (value - perMinute);
    }

    double value() {
        return value;
    }
}
