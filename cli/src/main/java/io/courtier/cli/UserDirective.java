package io.courtier.cli;

import io.courtier.broker.config.BrokerConfig;
import java.util.Optional;

/**
 * Mosquitto's {@code user} directive makes a broker started as root switch to that user once its
 * ports are open. A JVM cannot change its own user, so the directive has no effect here; the
 * way to run unprivileged is to start the process as that user, which systemd's {@code User=}
 * does (our courtier.service runs as {@code courtier}).
 */
final class UserDirective {

    private UserDirective() {
    }

    /** The warning to log when {@code user} is set, or empty. */
    static Optional<String> warning(BrokerConfig config) {
        if (config.user() == null || config.user().isBlank()) {
            return Optional.empty();
        }
        return Optional.of("Warning: \"user " + config.user() + "\" has no effect: a Java process cannot "
                + "switch user after start-up. Start courtier as that user instead, e.g. User="
                + config.user() + " in its systemd unit (courtier.service runs as user courtier).");
    }
}
