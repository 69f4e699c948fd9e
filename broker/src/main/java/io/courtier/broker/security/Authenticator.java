package io.courtier.broker.security;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a CONNECT may proceed. {@code username} null means anonymous. The broker never
 * calls it directly: every login goes through {@link LoginGate}, which bounds the work, runs slow
 * checks off the event loops and slows down repeated failures.
 */
public interface Authenticator {

    AuthResult authenticate(String clientId, String username, byte[] password);

    /**
     * The same check, answered later: a backend that waits on the network (an HTTP service, say)
     * returns a stage its own client completes, instead of blocking a {@link LoginGate} worker. The
     * gate calls this on a worker when {@link #isSlow} is true, else on the caller's thread.
     */
    default CompletionStage<AuthResult> authenticateAsync(String clientId, String username, byte[] password) {
        return CompletableFuture.completedFuture(authenticate(clientId, username, password));
    }

    /**
     * Whether checking this user's password costs enough (PBKDF2 with many iterations, a network
     * round trip) that it must run off the connection's event loop.
     */
    default boolean isSlow(String username) {
        return false;
    }

    /**
     * What the user's credentials are checked against, as text that changes whenever they do
     * (a password file's hash entry), or null if a success must not be remembered. Non-null lets
     * {@link LoginGate} accept the same user and password again without a second check.
     */
    default String credentialStamp(String username) {
        return null;
    }

    /** Mosquitto 2's rule without a password file: anonymous clients only where allowed. */
    static Authenticator anonymous(boolean allowAnonymous) {
        return (clientId, username, password) ->
                username == null && !allowAnonymous ? AuthResult.NOT_AUTHORIZED : AuthResult.ACCEPTED;
    }
}
