package io.courtier.broker.security.chain;

import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.Decision;
import java.util.concurrent.CompletableFuture;

/**
 * One link of the authentication chain: the password and ACL files, dynamic security, a Java
 * plugin, a go-auth backend. Each answers allow, deny or defer (Mosquitto's
 * {@code MOSQ_ERR_PLUGIN_DEFER}): the first link that does not defer decides. Futures never
 * complete exceptionally; a link that fails answers deny (or defer, where configured).
 */
public interface AuthLink extends AutoCloseable {

    /** For log lines: "password file", "plugin x.jar", "http". */
    String name();

    CompletableFuture<Decision> authenticate(ClientInfo client, byte[] password);

    /**
     * Whether {@link #authenticate} works on the calling thread long enough (a slow password
     * hash) that LoginGate must call the chain from a worker. Links that wait on the network or
     * on their own threads answer with a future and are not slow.
     */
    default boolean isSlow(String username) {
        return false;
    }

    CompletableFuture<Decision> authorise(ClientInfo client, Access access, String topic);

    /** The answer when this link knows it without waiting (a file, a cache, a token's claims), else null. */
    default Decision authoriseNow(ClientInfo client, Access access, String topic) {
        return null;
    }

    /** After this link allowed the client: when its credentials expire (epoch millis), 0 never. */
    default long validUntilMillis(ClientInfo client) {
        return 0;
    }

    default void connected(ClientInfo client) {
    }

    default void disconnected(ClientInfo client) {
    }

    /** Whether {@link #published} wants to be called (it costs a payload copy per message). */
    default boolean observesMessages() {
        return false;
    }

    default void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
    }

    @Override
    default void close() {
    }
}
