package io.courtier.broker.security;

/** Decides whether a CONNECT may proceed. {@code username} null means anonymous. */
public interface Authenticator {

    AuthResult authenticate(String clientId, String username, byte[] password);

    /**
     * Whether checking this user's password costs enough (PBKDF2 with many iterations) that it
     * should run off the connection's event loop.
     */
    default boolean isSlow(String username) {
        return false;
    }

    /** Mosquitto 2's rule without a password file: anonymous clients only where allowed. */
    static Authenticator anonymous(boolean allowAnonymous) {
        return (clientId, username, password) ->
                username == null && !allowAnonymous ? AuthResult.NOT_AUTHORIZED : AuthResult.ACCEPTED;
    }
}
