package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.broker.config.BridgeTopic;
import io.courtier.broker.persistence.StoreJournal;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.session.Session;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bridge's local side: a real {@link Session} under the bridge's local client id, as Mosquitto
 * keeps a client context for each bridge. Its subscriptions are the out/both topics (local prefix
 * applied) with no-local, so that what the bridge itself brings in is never sent back out, and
 * retain-as-published, so that the remote broker sees the RETAIN flag a publisher set. It is
 * persistent unless {@code local_cleansession true}: with {@code persistence true} what it queued
 * for the remote broker survives a restart of this one.
 */
final class LocalSession {

    private LocalSession() {
    }

    /** Finds (a persistent one restored at start-up) or makes the session; call before the broker serves clients. */
    static Session open(BridgeConfig config, BrokerContext broker, EventLoop fallbackLoop) {
        String id = config.localClientId();
        Session existing = broker.sessions().get(id);
        if (existing != null && config.localCleanSession()) {
            end(broker, existing); // a session kept by an earlier configuration: start clean
            existing = null;
        }
        Session session = existing;
        if (session == null) {
            session = new Session(id, Session.NEVER, broker.limits(), broker.stats(), fallbackLoop);
            if (!config.localCleanSession() && broker.store().durable()) {
                Session made = session;
                made.persistTo(new StoreJournal(broker.store(), broker.store().nextId(), made::loop));
            }
            broker.sessions().put(session);
        }
        session.neverTooSlow(); // what local publishers were acknowledged must reach the remote
        subscribe(config, broker, session);
        return session;
    }

    /** The out/both topics, and only those (a topic line removed since the last start is unsubscribed). */
    private static void subscribe(BridgeConfig config, BrokerContext broker, Session session) {
        List<Subscriber> wanted = new ArrayList<>();
        Set<String> filters = new HashSet<>();
        for (BridgeTopic t : config.topics()) {
            if (t.direction().outgoing() && filters.add(t.localFilter())) {
                wanted.add(new Subscriber(session.clientId(), null, t.localFilter(), t.qos(), true, true, 0, 0));
            }
        }
        Session s = session;
        s.execute(() -> {
            s.recordConnected((Will) null); // stored as a session, so a restart finds it
            for (Subscriber old : List.copyOf(s.subscriptions())) {
                if (old.shareGroup() != null || !filters.contains(old.filter())) {
                    s.removeSubscription(old.shareGroup(), old.filter());
                    broker.tree().unsubscribe(s.clientId(), old.shareGroup(), old.filter());
                }
            }
            for (Subscriber w : wanted) {
                s.addSubscription(w);
                broker.tree().subscribe(w);
            }
        });
    }

    /** At start-up, before any client or bridge runs: nothing else touches the restored session. */
    private static void end(BrokerContext broker, Session s) {
        for (Subscriber old : List.copyOf(s.subscriptions())) {
            broker.tree().unsubscribe(s.clientId(), old.shareGroup(), old.filter());
        }
        broker.sessions().remove(s);
        s.discard();
    }
}
