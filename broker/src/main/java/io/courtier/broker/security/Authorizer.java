package io.courtier.broker.security;

import io.courtier.plugin.Access;
import java.util.concurrent.CompletableFuture;

/**
 * Topic permissions, checked on PUBLISH, SUBSCRIBE and at each delivery. The file ACL answers
 * at once, on the event loop. An authoriser that may have to ask a service (HTTP, a plugin)
 * says so with {@link #isAsync}: callers then take {@link #decideNow} when it knows the answer
 * (a cached one) and otherwise wait for {@link #decide} off the loop.
 */
public interface Authorizer {

    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(String clientId, String username, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String clientId, String username, String filter) {
            return true;
        }

        @Override
        public boolean canReceive(String clientId, String username, String topic) {
            return true;
        }
    };

    boolean canPublish(String clientId, String username, String topic);

    boolean canSubscribe(String clientId, String username, String filter);

    boolean canReceive(String clientId, String username, String topic);

    /** Whether answers may have to wait: then use {@link #decideNow} and {@link #decide}. */
    default boolean isAsync() {
        return false;
    }

    /** The answer if it is known without waiting, else null. Never blocks. */
    default Boolean decideNow(Access access, String clientId, String username, String topic) {
        return switch (access) {
            case WRITE -> canPublish(clientId, username, topic);
            case SUBSCRIBE -> canSubscribe(clientId, username, topic);
            case READ -> canReceive(clientId, username, topic);
        };
    }

    /** The answer, when it comes; never completes exceptionally (a failure is a denial). */
    default CompletableFuture<Boolean> decide(Access access, String clientId, String username, String topic) {
        return CompletableFuture.completedFuture(decideNow(access, clientId, username, topic));
    }

    /**
     * Whether a client may remove a subscription: only dynamic security's roles can say no
     * (Mosquitto's {@code unsubscribeLiteral}/{@code unsubscribePattern}); files never do.
     */
    default boolean canUnsubscribe(String clientId, String username, String filter) {
        return true;
    }
}
