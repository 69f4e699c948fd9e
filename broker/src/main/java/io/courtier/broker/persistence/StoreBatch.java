package io.courtier.broker.persistence;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.SessionRecord;
import java.util.List;

/**
 * The typed writes one group commit is made of. Values that need a message's bytes are encoded
 * by the caller on its event loop (spreading the work over every loop); the store's thread only
 * assembles the batch. Used on the store's thread only.
 */
public interface StoreBatch {

    /** A message referred to by {@code references} queue entries written in the same change. */
    void putMessage(long messageId, byte[] encoded, int references);

    void putEntry(long storeId, long seq, QueueEntry entry);

    /** Removes a queue entry and drops its message once no entry refers to it any more. */
    void removeEntry(long storeId, long seq, long messageId);

    void putInbound(long storeId, int packetId);

    void removeInbound(long storeId, int packetId);

    void putSubscription(long storeId, String subscriptionKey, byte[] encoded);

    void removeSubscription(long storeId, String subscriptionKey);

    void putSession(String clientId, SessionRecord record);

    /**
     * Removes everything of a session: its record (if it is still this store id's), its
     * subscriptions, inbound QoS 2 ids and queue entries, and messages nobody else refers to.
     */
    void dropSession(String clientId, long storeId);

    void putRetained(String topic, byte[] encoded);

    void removeRetained(String topic);

    /**
     * A record of a cluster node's share of parked sessions (the cluster room owns its key and
     * value layout; keys sort as bytes). A store that keeps nothing ignores it.
     */
    default void putParked(byte[] key, byte[] value) {
    }

    /** Removes the parked-session records with keys from {@code from} (inclusive) to {@code to} (exclusive). */
    default void removeParked(byte[] from, byte[] to) {
    }

    /**
     * Every parked-session record on disk, in key order, as {key, value} pairs: read on the
     * store's thread, after every change submitted before. Empty from a store that keeps nothing.
     */
    default List<byte[][]> parked() {
        return List.of();
    }
}
