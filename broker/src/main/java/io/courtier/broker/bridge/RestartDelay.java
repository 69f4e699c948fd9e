package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a bridge waits before its next connection attempt (restart_timeout): a constant, or
 * Mosquitto's "decorrelated jitter" back-off, each delay drawn between the base and three times
 * the previous one, never above the cap, so that many bridges cut off together do not come back
 * in step. A connection that succeeds starts the back-off over.
 */
final class RestartDelay {

    private final BridgeConfig.RestartTimeout timeout;
    private long previousMillis;

    RestartDelay(BridgeConfig.RestartTimeout timeout) {
        this.timeout = timeout;
        this.previousMillis = timeout.base() * 1000L;
    }

    /** The next delay in milliseconds. */
    long nextMillis() {
        long base = timeout.base() * 1000L;
        if (timeout.constant()) {
            return base;
        }
        long cap = timeout.cap() * 1000L;
        long upper = Math.max(base + 1, previousMillis * 3);
        previousMillis = Math.min(cap, ThreadLocalRandom.current().nextLong(base, upper));
        return previousMillis;
    }

    /** Connected: the next loss starts from the base again. */
    void reset() {
        previousMillis = timeout.base() * 1000L;
    }
}
