package io.courtier.broker.protocol;

import io.courtier.broker.model.Subscriber;
import io.courtier.broker.session.Session;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Ends sessions: out of the topic tree and the registry, delayed will sent, shared messages handed on. */
final class SessionCleanup {
    private SessionCleanup() {
    }

    static void removeSubscriptions(BrokerContext broker, Session session) {
        for (Subscriber s : List.copyOf(session.subscriptions())) {
            broker.tree.unsubscribe(session.clientId(), s.shareGroup(), s.filter());
            session.removeSubscription(s.shareGroup(), s.filter());
        }
    }

    /**
     * The session is over (expired, ended with its connection, or replaced by a clean start). On
     * the session's loop. Its delayed will goes out now (MQTT 5.0 3.1.3.2.2: "or the Session ends,
     * whichever happens first"), and QoS 1/2 messages it held for a shared subscription go to
     * another member of the group (our policy, MQTT 5.0 4.8.2; see README "MQTT 5").
     */
    static void endSession(BrokerContext broker, Session session) {
        broker.sessions.remove(session);
        if (!session.cleanSession()) {
            broker.presence.ended(session.clientId());
        }
        removeSubscriptions(broker, session);
        session.firePendingWill();
        if (!broker.shuttingDown) {
            session.forEachUnackedShared((message, shared) -> broker.router.rerouteShared(message, shared));
        }
        session.discard();
    }

    /** A session whose client went offline: ends now (expiry 0) or is scheduled to expire. */
    static void detached(BrokerContext broker, Session session) {
        if (broker.shuttingDown) {
            return; // no timers on event loops that are stopping
        }
        if (session.cleanSession()) {
            if (broker.sessions.get(session.clientId()) == session) {
                endSession(broker, session);
            } // else a clean start already replaced and ended it
            return;
        }
        if (broker.presence.parks()) {
            park(broker, session);
            return;
        }
        scheduleExpiry(broker, session);
    }

    /**
     * In a cluster: the offline session goes to the cluster, which keeps it for whichever node
     * the client comes back to, and leaves this node. A delayed will keeps waiting here for its
     * delay, cancelled if the client connects again on any node [MQTT-3.1.3-9].
     */
    static void park(BrokerContext broker, Session session) {
        whole(broker, session, () -> broker.presence.park(session, removeHere(broker, session),
                () -> scheduleExpiry(broker, session)));
    }

    /**
     * In a cluster, at start-up: a session restored from the store goes to the cluster, merged
     * with the cluster's copy if it has one; it stays here while its client is online elsewhere.
     */
    static void parkRestored(BrokerContext broker, Session session) {
        whole(broker, session, () -> broker.presence.parkRestored(session, removeHere(broker, session), () -> { }));
    }

    /** Runs {@code park} once the session's whole queue is in memory (a long one is partly on disk only). */
    private static void whole(BrokerContext broker, Session session, Runnable park) {
        session.pageInAll(all -> {
            if (broker.sessions.get(session.clientId()) != session || session.isConnected()) {
                return; // its client came back meanwhile
            }
            if (all) {
                park.run();
            } else {
                MqttConnection.LOG.warn("Client {}: its queue could not be read from disk; its session stays on "
                        + "this node.", session.clientId());
                scheduleExpiry(broker, session);
            }
        });
    }

    private static BooleanSupplier removeHere(BrokerContext broker, Session session) {
        return () -> {
            if (broker.sessions.get(session.clientId()) != session || session.isConnected()) {
                return false; // its client came back meanwhile
            }
            Session.PendingWill will = session.takePendingWill();
            broker.sessions.remove(session);
            removeSubscriptions(broker, session);
            session.discard();
            if (will != null) {
                EventLoop loop = session.loop();
                broker.presence.holdWill(session.clientId(), will.delayMillis(), () -> loop.execute(will.publish()));
            }
            return true;
        };
    }

    private static void scheduleExpiry(BrokerContext broker, Session session) {
        session.scheduleExpiry(() -> {
            if (broker.sessions.get(session.clientId()) == session) {
                broker.stats.clientsExpired.increment();
                MqttConnection.LOG.info("Client {} session expired.", session.clientId());
                endSession(broker, session);
            }
        });
    }
}
