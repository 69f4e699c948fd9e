package io.courtier.broker;

import io.courtier.broker.persistence.RecoveredSession;
import io.courtier.broker.persistence.RecoveredState;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.persistence.StoreJournal;
import io.courtier.broker.session.QueuePage;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery: puts what the store held back into the broker's rooms — retained messages,
 * persistent sessions with their subscriptions (into the topic tree), queued and in-flight
 * messages and inbound QoS 2 ids — before any listener accepts a client. Sessions whose client
 * was connected when the broker stopped lost that connection abnormally: their wills are
 * published once the broker runs.
 */
final class StateRestorer {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private StateRestorer() {
    }

    /** A will to publish once the broker runs. */
    public record PendingWill(String clientId, Will will, Session session) {
    }

    /** The sessions restored (to start their expiry clocks) and the wills to publish. */
    public record Restored(List<Session> sessions, List<PendingWill> wills) {
    }

    /**
     * Restores the store's state. Sessions whose expiry passed while the broker was down are
     * removed instead; the others' expiry clocks start again from now.
     */
    public static Restored restore(Store store, SessionRegistry sessions, TopicTree tree,
                                            RetainedStore retained, SessionLimits limits, BrokerStats stats,
                                            EventLoopGroup loops) {
        long start = System.nanoTime();
        RecoveredState state = store.recover();
        List<PendingWill> wills = new ArrayList<>();
        List<Session> restored = new ArrayList<>();
        try {
            for (RetainedMessage m : state.retained()) {
                retained.put(m);
            }
            long now = System.currentTimeMillis();
            for (RecoveredSession r : state.sessions()) {
                long expiry = r.record().expiryInterval();
                long since = r.record().connected() ? now : r.record().disconnectedAtMillis();
                if (expiry != Session.NEVER && expiry >= 0 && now - since > expiry * 1000) {
                    long storeId = r.record().storeId();
                    String clientId = r.clientId();
                    store.submit(b -> b.dropSession(clientId, storeId), null, null);
                    continue; // expired while the broker was down
                }
                EventLoop loop = loops.next();
                Session s = new Session(r.clientId(), expiry < 0 ? Session.NEVER : expiry, limits, stats, loop);
                if (expiry >= 0 && expiry != Session.NEVER) {
                    s.restoreExpiresIn(expiry - (now - since) / 1000);
                }
                s.persistTo(new StoreJournal(store, r.record().storeId(), s::loop));
                for (Subscriber sub : r.subscriptions()) {
                    tree.subscribe(sub);
                }
                // Adds to the session's map without writing back what was just read.
                s.restoreSubscriptions(r.subscriptions());
                for (QueuePage.Entry e : r.entries()) {
                    s.restoreEntry(e.message(), e.entry(), e.seq());
                }
                s.restoreOnDisk(r.entriesOnDisk());
                for (int id : r.inboundQos2()) {
                    s.restoreInboundQos2(id);
                }
                sessions.put(s);
                restored.add(s);
                if (r.record().connected() && r.record().will() != null) {
                    wills.add(new PendingWill(r.clientId(), r.record().will(), s));
                }
                if (r.record().connected()) {
                    // Its connection is gone: record that, so a second restart does not publish the will again.
                    SessionRecord gone = new SessionRecord(r.record().storeId(), r.record().expiryInterval(), false,
                            now, null);
                    String clientId = r.clientId();
                    store.submit(b -> b.putSession(clientId, gone), null, null);
                }
            }
            if (store.durable()) {
                LOG.info("Restored {} sessions, {} retained, {} queued messages in {} ms.", state.sessions().size(),
                        state.retained().size(), state.queuedMessages(), (System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            state.release();
        }
        return new Restored(restored, wills);
    }
}
