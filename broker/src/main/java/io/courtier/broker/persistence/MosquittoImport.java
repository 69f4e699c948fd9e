package io.courtier.broker.persistence;

import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.persistence.codec.SubscriptionCodec;
import io.courtier.broker.persistence.mosquitto.MosquittoDb;
import io.courtier.broker.persistence.mosquitto.MosquittoDb.States;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.TopicMatcher;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.codec.Topics;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Turns what a Mosquitto persistence file held into Courtier's own records, written through
 * the same {@link StoreBatch} writes the broker makes, so the store's start-up
 * ({@link Recovery}, {@code StateRestorer}) brings them back like any other state: retained
 * messages with their properties and expiry, persistent sessions (expiry interval, time left),
 * their subscriptions (QoS, options, identifiers), their queued and in-flight messages in
 * Mosquitto's order with their state, and inbound QoS 2 messages awaiting PUBREL.
 */
final class MosquittoImport {

    /** The key, beside the format marker, naming the Mosquitto file a store was imported from (its SHA-256). */
    static final byte[] IMPORTED_FROM = "courtier.imported-from".getBytes(StandardCharsets.UTF_8);

    private final MosquittoDb db;
    private final long now;
    /** persistent_client_expiration in seconds, 0 for none. */
    private final long persistentClientExpiration;
    private long nextId;
    private final Map<Long, MosquittoDb.BaseMessage> messages = new HashMap<>();
    private final Map<String, Long> sessions = new LinkedHashMap<>();
    private final Set<Long> expiredMessages = new HashSet<>();
    /** Sessions whose expiry passed: their subscriptions and messages go with them. */
    private final Set<String> expiredSessions = new HashSet<>();
    private final Map<String, List<Subscriber>> subscriptions = new HashMap<>();
    /** Queue entries by message store id (the message is written once, with their count). */
    private final Map<Long, List<Runnable>> entries = new LinkedHashMap<>();
    /** Courtier's ids for Mosquitto's message store ids, given in the order they are first used. */
    private final Map<Long, Long> messageIds = new HashMap<>();
    private int retained;
    private int subscriptionCount;
    private int queued;
    private int inflight;
    private int inbound;
    private int expired;
    private int dropped;

    private MosquittoImport(MosquittoDb db, long nowMillis, long persistentClientExpiration) {
        this.db = db;
        this.now = nowMillis;
        this.persistentClientExpiration = persistentClientExpiration;
    }

    /**
     * Creates a store in the new directory {@code dir} holding {@code db}'s state, marked as
     * imported from the file whose digest is {@code source}, in one synced write.
     */
    static ImportCounts intoNewStore(MosquittoDb db, Path dir, String source, long persistentClientExpiration) {
        try (RocksDbFiles files = RocksDbFiles.open(dir); RocksBatch batch = new RocksBatch(files);
             WriteOptions sync = new WriteOptions().setSync(true)) {
            ImportCounts counts = write(db, batch, System.currentTimeMillis(), persistentClientExpiration);
            batch.finish();
            batch.batch.put(files.meta, IMPORTED_FROM, source.getBytes(StandardCharsets.UTF_8));
            files.db.write(sync, batch.batch);
            return counts;
        } catch (RocksDBException e) {
            throw new StoreException("Cannot write the imported state to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code db}'s state into {@code batch}, taking ids from 1 up; returns the counts.
     *
     * @param persistentClientExpiration seconds (0: none) after which a session that never expires
     *        is removed, as {@code persistent_client_expiration} sets for sessions made on CONNECT
     */
    static ImportCounts write(MosquittoDb db, StoreBatch batch, long nowMillis, long persistentClientExpiration) {
        MosquittoImport i = new MosquittoImport(db, nowMillis, persistentClientExpiration);
        i.collect(batch);
        return new ImportCounts(i.retained, i.sessions.size(), i.subscriptionCount, i.queued, i.inflight, i.inbound,
                i.expired, i.dropped, db.problems());
    }

    private void collect(StoreBatch batch) {
        for (MosquittoDb.BaseMessage m : db.messages()) {
            if (!Topics.isValidTopicName(m.topic())) {
                dropped++; // damage the chunk's lengths did not show; its queue entries go with it
            } else if (m.expiryTime() > 0 && m.expiryTime() * 1000 <= now) {
                expired++; // as Mosquitto does on restore: an expired message is not loaded
                expiredMessages.add(m.storeId());
            } else {
                messages.put(m.storeId(), m);
            }
        }
        for (MosquittoDb.Client c : db.clients()) {
            session(c, batch);
        }
        for (MosquittoDb.Subscription s : db.subscriptions()) {
            subscription(s, batch);
        }
        for (MosquittoDb.ClientMessage cm : db.clientMessages()) {
            clientMessage(cm, batch);
        }
        for (Long id : db.retained()) {
            retainedMessage(id, batch);
        }
        for (Map.Entry<Long, List<Runnable>> e : entries.entrySet()) {
            Message m = message(messages.get(e.getKey()));
            try {
                batch.putMessage(idOf(e.getKey()), MessageCodec.encode(m), e.getValue().size());
            } finally {
                m.release();
            }
            e.getValue().forEach(Runnable::run);
        }
    }

    /**
     * A persistent session. Mosquitto keeps the absolute time its session expires (0 while
     * connected or never) and the interval; 0xFFFFFFFF is "never", as Courtier's
     * {@link Session#NEVER}, which {@code persistent_client_expiration} bounds, counted from the
     * import (Mosquitto applies it to such sessions too; the file does not say when they left).
     */
    private void session(MosquittoDb.Client c, StoreBatch batch) {
        long interval = c.expiryInterval();
        if (interval == Session.NEVER && persistentClientExpiration > 0) {
            interval = Math.min(persistentClientExpiration, Session.NEVER);
        }
        long disconnectedAt = now;
        if (c.expiryInterval() != Session.NEVER && c.expiryTime() > 0) {
            if (c.expiryTime() * 1000 <= now) {
                expired++;
                expiredSessions.add(c.clientId());
                return;
            }
            disconnectedAt = (c.expiryTime() - interval) * 1000;
        }
        long storeId = ++nextId;
        sessions.put(c.clientId(), storeId);
        batch.putSession(c.clientId(), new SessionRecord(storeId, interval, false, disconnectedAt, null));
    }

    /** The session of a client id the file mentions without a client chunk, as Mosquitto makes one. */
    private long sessionOf(String clientId, StoreBatch batch) {
        Long id = sessions.get(clientId);
        if (id != null) {
            return id;
        }
        long storeId = ++nextId;
        sessions.put(clientId, storeId);
        batch.putSession(clientId, new SessionRecord(storeId, Session.NEVER, false, now, null));
        return storeId;
    }

    /**
     * Options are the SUBSCRIBE option bits (MQTT 5.0 section 3.8.3.1) without the QoS. A filter
     * that is not valid (damage the chunk's lengths did not show) is left out: the topic tree
     * would refuse it at start-up.
     */
    private void subscription(MosquittoDb.Subscription s, StoreBatch batch) {
        if (expiredSessions.contains(s.clientId())) {
            return;
        }
        if (!Topics.isValidTopicFilter(s.filter())) {
            dropped++;
            return;
        }
        String group = Topics.shareGroup(s.filter());
        String filter = Topics.shareFilter(s.filter());
        int o = s.options();
        Subscriber sub = new Subscriber(s.clientId(), group, filter, s.qos(), (o & 0x04) != 0, (o & 0x08) != 0,
                (o >> 4) & 0x03, s.identifier());
        long storeId = sessionOf(s.clientId(), batch);
        batch.putSubscription(storeId, Session.subscriptionKey(group, filter), SubscriptionCodec.encode(sub));
        subscriptions.computeIfAbsent(s.clientId(), k -> new ArrayList<>()).add(sub);
        subscriptionCount++;
    }

    /**
     * A message in a session's queue. Outgoing: queued (or assigned but not sent) become queued
     * entries; sent and awaiting PUBACK/PUBREC keep their packet id; PUBREC received (PUBREL to
     * send or sent) keep the id with PUBREL sent. Incoming QoS 2 awaiting PUBREL: Mosquitto routes
     * it on PUBREL, Courtier on PUBLISH, so it is routed here to the imported subscriptions and
     * its packet id kept, so the client's PUBREL is answered.
     */
    private void clientMessage(MosquittoDb.ClientMessage cm, StoreBatch batch) {
        MosquittoDb.BaseMessage m = messages.get(cm.storeId());
        if (expiredSessions.contains(cm.clientId())) {
            return;
        }
        if (m == null) {
            if (!expiredMessages.contains(cm.storeId())) {
                dropped++; // damage in the file
            }
            return;
        }
        long storeId = sessionOf(cm.clientId(), batch);
        if (!cm.outgoing()) {
            if (cm.qos() == 2 && (cm.state() == States.WAIT_FOR_PUBREL || cm.state() == States.SEND_PUBREC)) {
                batch.putInbound(storeId, cm.mid());
                route(m, batch);
                inbound++;
            } else {
                dropped++;
            }
            return;
        }
        int packetId;
        boolean pubrelSent = false;
        switch (cm.state()) {
            case States.QUEUED, States.PUBLISH_QOS0, States.PUBLISH_QOS1, States.PUBLISH_QOS2 -> packetId = 0;
            case States.WAIT_FOR_PUBACK, States.WAIT_FOR_PUBREC -> packetId = cm.mid();
            case States.RESEND_PUBREL, States.WAIT_FOR_PUBCOMP -> {
                packetId = cm.mid();
                pubrelSent = true;
            }
            default -> {
                dropped++;
                return;
            }
        }
        int[] ids = cm.subscriptionId() == 0 ? new int[0] : new int[] {cm.subscriptionId()};
        QueueEntry entry = new QueueEntry(idOf(m.storeId()), cm.qos(), cm.retain(), packetId, pubrelSent, ids);
        addEntry(storeId, m.storeId(), entry, batch);
        if (packetId == 0) {
            queued++;
        } else {
            inflight++;
        }
    }

    /** Queues an accepted incoming message for each imported session with a matching subscription. */
    private void route(MosquittoDb.BaseMessage m, StoreBatch batch) {
        for (Map.Entry<String, List<Subscriber>> e : subscriptions.entrySet()) {
            int qos = -1;
            List<Integer> ids = new ArrayList<>();
            for (Subscriber s : e.getValue()) {
                if (TopicMatcher.matches(s.filter(), m.topic()) && !(s.noLocal() && e.getKey().equals(m.sourceId()))) {
                    qos = Math.max(qos, Math.min(s.qos(), m.qos()));
                    if (s.subscriptionId() != 0) {
                        ids.add(s.subscriptionId());
                    }
                }
            }
            if (qos > 0) {
                int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
                addEntry(sessions.get(e.getKey()), m.storeId(), new QueueEntry(idOf(m.storeId()), qos, false, 0, false,
                        idArray), batch);
                queued++;
            }
        }
    }

    private void addEntry(long sessionStoreId, long messageStoreId, QueueEntry entry, StoreBatch batch) {
        long seq = ++nextId; // ids grow in file order, so the queue keeps Mosquitto's order
        entries.computeIfAbsent(messageStoreId, k -> new ArrayList<>())
                .add(() -> batch.putEntry(sessionStoreId, seq, entry));
    }

    private void retainedMessage(long storeId, StoreBatch batch) {
        MosquittoDb.BaseMessage m = messages.get(storeId);
        if (m == null) {
            if (!expiredMessages.contains(storeId)) {
                dropped++; // damage in the file
            }
            return;
        }
        RetainedMessage r = new RetainedMessage(m.topic(), m.payload(), m.qos(), m.properties(), now,
                m.expiryTime() * 1000);
        batch.putRetained(m.topic(), RetainedCodec.encode(r));
        retained++;
    }

    private Message message(MosquittoDb.BaseMessage m) {
        return new Message(m.topic(), m.qos(), m.retain(), m.properties(), Unpooled.wrappedBuffer(m.payload()),
                m.sourceId() == null ? "" : m.sourceId(), m.expiryTime() * 1000);
    }

    private long idOf(long mosquittoStoreId) {
        return messageIds.computeIfAbsent(mosquittoStoreId, k -> ++nextId);
    }
}
