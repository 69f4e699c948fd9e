package io.courtier.broker.protocol;

import io.courtier.broker.routing.Subscriber;
import io.courtier.broker.session.Session;
import java.util.List;

/** Takes a session's subscriptions out of the topic tree when the session ends. */
final class SessionCleanup {
    private SessionCleanup() {
    }

    static void removeSubscriptions(BrokerContext broker, Session session) {
        for (Subscriber s : List.copyOf(session.subscriptions())) {
            broker.tree.unsubscribe(session.clientId(), s.shareGroup(), s.filter());
            session.removeSubscription(s.shareGroup(), s.filter());
        }
    }
}
