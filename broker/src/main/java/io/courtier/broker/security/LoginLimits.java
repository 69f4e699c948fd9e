package io.courtier.broker.security;

import java.time.Duration;

/**
 * How much login work the broker takes on, and how it treats repeated failures (see
 * {@link LoginGate}). The defaults keep a correct login fast while one address sends hundreds of
 * wrong ones a second, on a two-core machine with 210,000-iteration PBKDF2 hashes.
 *
 * @param workers             threads that run slow checks (half the cores, at least one)
 * @param pendingPerListener  checks queued or running for one listener; more are refused "server busy"
 * @param pendingPerSource    the same for one source address
 * @param freeFailures        failures in a row from one address before it is slowed down
 * @param backoffFirst        the pause between that address's checks after the first failure past the
 *                            free ones; it doubles with each further failure
 * @param backoffMax          the longest such pause
 * @param failureMemory       how long after its last failure an address's failures are forgotten
 * @param checkTimeout        how long a check may take before it is answered "server busy" (a backend
 *                            that never answers must not hold a pending place for ever)
 * @param rememberFor         how long a successful login of a password-file user is remembered, so that a
 *                            reconnect with the same password and an unchanged hash is not hashed again
 * @param rememberedMax       how many such logins are remembered at most
 */
public record LoginLimits(int workers, int pendingPerListener, int pendingPerSource, int freeFailures,
                          Duration backoffFirst, Duration backoffMax, Duration failureMemory, Duration checkTimeout,
                          Duration rememberFor, int rememberedMax) {

    public static final LoginLimits DEFAULT = new LoginLimits(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 64, 8, 5, Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 10_000);
}
