package io.courtier.broker.security.dynsec;

import io.courtier.broker.security.Authorizer;
import java.util.function.Supplier;

/** Publish, subscribe, unsubscribe and delivery checks against the plugin's roles (see {@link AccessSnapshot}). */
final class DynsecAuthorizer implements Authorizer {

    private final Supplier<AccessSnapshot> snapshot;

    DynsecAuthorizer(Supplier<AccessSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return snapshot.get().allows(username, AccessSnapshot.SEND, topic);
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String filter) {
        return snapshot.get().allows(username, AccessSnapshot.SUBSCRIBE, filter);
    }

    @Override
    public boolean canUnsubscribe(String clientId, String username, String filter) {
        return snapshot.get().allows(username, AccessSnapshot.UNSUBSCRIBE, filter);
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return snapshot.get().allows(username, AccessSnapshot.RECEIVE, topic);
    }
}
