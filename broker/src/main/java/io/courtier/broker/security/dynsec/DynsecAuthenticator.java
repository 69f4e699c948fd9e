package io.courtier.broker.security.dynsec;

import io.courtier.broker.security.AuthResult;
import io.courtier.broker.security.Authenticator;
import java.util.function.Supplier;

/**
 * CONNECT as Mosquitto's plugin answers it: a user name it knows logs in with that client's
 * password (and, when the client has one, only with that client id) unless the client is
 * disabled; anything else (no user name, or one it does not know) is passed on to the
 * listener's own rules ({@code allow_anonymous}, {@code password_file}), as the plugin defers.
 */
final class DynsecAuthenticator implements Authenticator {

    private final Supplier<AccessSnapshot> snapshot;
    private final Authenticator fallback;

    DynsecAuthenticator(Supplier<AccessSnapshot> snapshot, Authenticator fallback) {
        this.snapshot = snapshot;
        this.fallback = fallback;
    }

    @Override
    public AuthResult authenticate(String clientId, String username, byte[] password) {
        AccessSnapshot.User u = username == null ? null : snapshot.get().user(username);
        if (u == null) {
            return fallback.authenticate(clientId, username, password);
        }
        if (u.disabled() || u.password() == null || password == null) {
            return AuthResult.NOT_AUTHORIZED;
        }
        if (u.clientid() != null && !u.clientid().equals(clientId)) {
            return AuthResult.NOT_AUTHORIZED;
        }
        return u.password().matches(password) ? AuthResult.ACCEPTED : AuthResult.NOT_AUTHORIZED;
    }

    /** A PBKDF2 hash is computed for every known user: never on an event loop. */
    @Override
    public boolean isSlow(String username) {
        return username != null && snapshot.get().user(username) != null || fallback.isSlow(username);
    }
}
