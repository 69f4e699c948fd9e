package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import io.courtier.broker.persistence.codec.EntryCodec;
import io.courtier.broker.persistence.codec.Keys;
import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.persistence.codec.SessionCodec;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.persistence.codec.SubscriptionCodec;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.model.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the store at start-up into a {@link RecoveredState}, and tidies what a crash or a race
 * can leave behind: records of sessions that no longer exist, entries whose message is gone,
 * and messages no entry refers to. A message's reference count loses the references of the
 * entries removed here; it is not recounted from scratch.
 * A record that does not decode stops start-up (via {@code CorruptRecordException}).
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final RocksDbFiles files;
    private final int window;
    private long highestId;

    /** @param window how many queued (not in-flight) entries per session to load into memory */
    Recovery(RocksDbFiles files, int window) {
        this.files = files;
        this.window = window;
    }

    long highestId() {
        return highestId;
    }

    RecoveredState read() {
        try (WriteBatch cleanup = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
            RecoveredState state = read(cleanup);
            if (cleanup.count() > 0) {
                LOG.info("Persistence: removed {} stale records.", cleanup.count());
                files.db.write(sync, cleanup);
            }
            return state;
        } catch (RocksDBException e) {
            throw new StoreException("Cannot read the persistence store " + files.dir + ": " + e.getMessage(), e);
        }
    }

    private RecoveredState read(WriteBatch cleanup) throws RocksDBException {
        Map<Long, Builder> byStoreId = new LinkedHashMap<>();
        try (RocksIterator it = files.db.newIterator(files.sessions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String clientId = Keys.text(it.key());
                SessionRecord record = SessionCodec.decode(it.value());
                byStoreId.put(record.storeId(), new Builder(clientId, record));
                seen(record.storeId());
            }
        }
        try (RocksIterator it = files.db.newIterator(files.subscriptions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                seen(Keys.owner(it.key()));
                Builder b = byStoreId.get(Keys.owner(it.key()));
                if (b == null) {
                    cleanup.delete(files.subscriptions, it.key());
                } else {
                    b.subscriptions.add(SubscriptionCodec.decode(b.clientId, it.value()));
                }
            }
        }
        try (RocksIterator it = files.db.newIterator(files.inbound)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                seen(Keys.owner(it.key()));
                Builder b = byStoreId.get(Keys.owner(it.key()));
                if (b == null) {
                    cleanup.delete(files.inbound, it.key());
                } else {
                    b.inbound.add(Keys.inboundPacketId(it.key()));
                }
            }
        }
        Map<Long, Message> messages = new HashMap<>();
        Map<Long, Integer> orphanRefs = new HashMap<>();
        try (RocksIterator it = files.db.newIterator(files.entries)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                seen(Keys.owner(key));
                seen(Keys.entrySeq(key));
                Builder b = byStoreId.get(Keys.owner(key));
                QueueEntry e = EntryCodec.decode(it.value());
                if (b == null) {
                    cleanup.delete(files.entries, key); // its session is gone
                    orphanRefs.merge(e.messageId(), 1, Integer::sum);
                    continue;
                }
                if (!e.inflight() && b.queuedInMemory >= window) {
                    b.onDisk++; // read later, when the session's queue has room
                    continue;
                }
                Message m = message(e.messageId(), messages);
                if (m == null) {
                    cleanup.delete(files.entries, key);
                    continue;
                }
                if (!e.inflight()) {
                    b.queuedInMemory++;
                }
                b.entries.add(new QueuePage.Entry(Keys.entrySeq(key), e, m));
            }
        }
        releaseOrphans(orphanRefs, cleanup);
        seenLast(files.messages);
        seenLast(files.refs);
        List<RetainedMessage> retained = new ArrayList<>();
        try (RocksIterator it = files.db.newIterator(files.retained)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                retained.add(RetainedCodec.decode(it.value()));
            }
        }
        List<RecoveredSession> sessions = new ArrayList<>(byStoreId.size());
        for (Builder b : byStoreId.values()) {
            sessions.add(new RecoveredSession(b.clientId, b.record, List.copyOf(b.subscriptions),
                    List.copyOf(b.entries), List.copyOf(b.inbound), b.onDisk));
        }
        return new RecoveredState(sessions, retained, messages);
    }

    private Message message(long id, Map<Long, Message> messages) throws RocksDBException {
        Message m = messages.get(id);
        if (m == null) {
            byte[] v = files.db.get(files.messages, Keys.id(id));
            if (v == null) {
                LOG.warn("Persistence: a queue entry refers to missing message {}; dropping the entry.", id);
                return null;
            }
            m = MessageCodec.decode(v).toMessage();
            m.storedAs(id);
            messages.put(id, m);
            seen(id);
        }
        return m;
    }

    /**
     * Drops the references removed entries held, deleting messages that had no other. (Batches
     * are atomic, so counts and entries agree; the heap holds nothing per queued message here.)
     */
    private void releaseOrphans(Map<Long, Integer> released, WriteBatch cleanup) throws RocksDBException {
        for (Map.Entry<Long, Integer> e : released.entrySet()) {
            byte[] key = Keys.id(e.getKey());
            byte[] stored = files.db.get(files.refs, key);
            long left = (stored == null || stored.length != 8 ? 0 : Keys.id(stored)) - e.getValue();
            if (left <= 0) {
                cleanup.delete(files.messages, key);
                cleanup.delete(files.refs, key);
            } else {
                cleanup.put(files.refs, key, Keys.id(left));
            }
        }
    }

    private void seenLast(ColumnFamilyHandle cf) {
        try (RocksIterator it = files.db.newIterator(cf)) {
            it.seekToLast();
            if (it.isValid()) {
                seen(Keys.id(it.key()));
            }
        }
    }

    private void seen(long id) {
        highestId = Math.max(highestId, id);
    }

    private static final class Builder {
        final String clientId;
        final SessionRecord record;
        final List<Subscriber> subscriptions = new ArrayList<>();
        final List<QueuePage.Entry> entries = new ArrayList<>();
        final List<Integer> inbound = new ArrayList<>();
        int queuedInMemory;
        long onDisk;

        Builder(String clientId, SessionRecord record) {
            this.clientId = clientId;
            this.record = record;
        }
    }
}
