package io.courtier.broker.persistence;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.EntryCodec;
import io.courtier.broker.persistence.codec.Keys;
import io.courtier.broker.persistence.codec.SessionCodec;
import io.courtier.broker.persistence.codec.SessionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * One group commit being assembled. Message reference counts live on disk (column family
 * "refs"), so the heap holds nothing per queued message; counts touched in this batch are
 * accumulated here and written (or the message deleted, at zero) when the batch is finished.
 */
final class RocksBatch implements StoreBatch, AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    private final RocksDbFiles files;
    final WriteBatch batch = new WriteBatch();
    private final Map<Long, int[]> refCounts = new HashMap<>();
    /** Entries put in this batch, by session: a drop in the same batch cannot see them on disk. */
    private final Map<Long, List<Long>> entriesPut = new HashMap<>();
    private int changes;

    RocksBatch(RocksDbFiles files) {
        this.files = files;
    }

    @Override
    public void putMessage(long messageId, byte[] encoded, int references) {
        put(files.messages, Keys.id(messageId), encoded);
        refCounts.put(messageId, new int[] {references});
    }

    @Override
    public void putEntry(long storeId, long seq, QueueEntry entry) {
        put(files.entries, Keys.entry(storeId, seq), EntryCodec.encode(entry));
        if (entry.packetId() == 0) { // a new entry (updates carry the packet id)
            entriesPut.computeIfAbsent(storeId, k -> new ArrayList<>()).add(entry.messageId());
        }
    }

    @Override
    public void removeEntry(long storeId, long seq, long messageId) {
        delete(files.entries, Keys.entry(storeId, seq));
        release(messageId);
    }

    private void release(long messageId) {
        int[] count = refCounts.get(messageId);
        if (count == null) {
            count = new int[] {readRefs(messageId)};
            refCounts.put(messageId, count);
        }
        count[0]--;
    }

    private int readRefs(long messageId) {
        try {
            byte[] v = files.db.get(files.refs, Keys.id(messageId));
            return v == null || v.length != 8 ? 0 : (int) Keys.id(v);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void putInbound(long storeId, int packetId) {
        put(files.inbound, Keys.inbound(storeId, packetId), EMPTY);
    }

    @Override
    public void removeInbound(long storeId, int packetId) {
        delete(files.inbound, Keys.inbound(storeId, packetId));
    }

    @Override
    public void putSubscription(long storeId, String subscriptionKey, byte[] encoded) {
        put(files.subscriptions, Keys.subscription(storeId, subscriptionKey), encoded);
    }

    @Override
    public void removeSubscription(long storeId, String subscriptionKey) {
        delete(files.subscriptions, Keys.subscription(storeId, subscriptionKey));
    }

    @Override
    public void putSession(String clientId, SessionRecord record) {
        put(files.sessions, Keys.text(clientId), SessionCodec.encode(record));
    }

    @Override
    public void dropSession(String clientId, long storeId) {
        try {
            byte[] current = files.db.get(files.sessions, Keys.text(clientId));
            if (current != null && SessionCodec.decode(current).storeId() == storeId) {
                delete(files.sessions, Keys.text(clientId));
            }
            byte[] from = Keys.id(storeId);
            byte[] to = Keys.ownerEnd(storeId);
            batch.deleteRange(files.subscriptions, from, to);
            batch.deleteRange(files.inbound, from, to);
            // Entries written earlier in this same batch are not visible to the iterator.
            List<Long> fresh = entriesPut.remove(storeId);
            if (fresh != null) {
                fresh.forEach(this::release);
            }
            try (RocksIterator it = files.db.newIterator(files.entries)) {
                for (it.seek(from); it.isValid() && Keys.owner(it.key()) == storeId; it.next()) {
                    release(EntryCodec.decode(it.value()).messageId());
                }
            }
            batch.deleteRange(files.entries, from, to);
            changes++;
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void putRetained(String topic, byte[] encoded) {
        put(files.retained, Keys.text(topic), encoded);
    }

    @Override
    public void removeRetained(String topic) {
        delete(files.retained, Keys.text(topic));
    }

    @Override
    public void putParked(byte[] key, byte[] value) {
        put(files.meta, Keys.parked(key), value);
    }

    @Override
    public void removeParked(byte[] from, byte[] to) {
        try {
            batch.deleteRange(files.meta, Keys.parked(from), Keys.parked(to));
            changes++;
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<byte[][]> parked() {
        List<byte[][]> records = new ArrayList<>();
        byte[] from = Keys.parked(EMPTY);
        try (RocksIterator it = files.db.newIterator(files.meta)) {
            for (it.seek(from); it.isValid() && Keys.isParked(it.key()); it.next()) {
                byte[] key = it.key();
                records.add(new byte[][] {Arrays.copyOfRange(key, 1, key.length), it.value()});
            }
        }
        return records;
    }

    /** Writes the reference counts touched by this batch, deleting messages nobody refers to. */
    void finish() {
        for (Map.Entry<Long, int[]> e : refCounts.entrySet()) {
            byte[] key = Keys.id(e.getKey());
            if (e.getValue()[0] <= 0) {
                delete(files.messages, key);
                delete(files.refs, key);
            } else {
                put(files.refs, key, Keys.id(e.getValue()[0]));
            }
        }
        refCounts.clear();
    }

    boolean isEmpty() {
        return changes == 0;
    }

    private void put(org.rocksdb.ColumnFamilyHandle cf, byte[] key, byte[] value) {
        try {
            batch.put(cf, key, value);
            changes++;
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    private void delete(org.rocksdb.ColumnFamilyHandle cf, byte[] key) {
        try {
            batch.delete(cf, key);
            changes++;
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        batch.close();
    }
}
