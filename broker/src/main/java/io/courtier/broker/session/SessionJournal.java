package io.courtier.broker.session;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.codec.Will;
import java.util.function.Consumer;

/**
 * What a persistent session records so that it survives a restart: owned by this room, written by
 * the persistence room ({@code persistence.StoreJournal}), so that a session knows nothing of the
 * store. Writes are not waited for unless a callback is given; a callback runs on the session's
 * event loop once the write is on disk (or failed: the store logs it, and the session goes on as
 * it would have). {@link #NONE} is the journal of a session that keeps nothing.
 */
public interface SessionJournal {

    /** The session's id in the store, 0 when nothing of it is stored. */
    long storeId();

    /** Who is connected, with what will and expiry (at CONNECT). */
    void connected(String clientId, long expiryInterval, Will will);

    /** The connection ended; the expiry clock runs from now. */
    void disconnected(String clientId, long expiryInterval);

    /** A queue entry as it now stands (sent: with its packet id and PUBREL state). */
    void putEntry(long entrySeq, QueueEntry entry, Runnable thenOnLoop);

    /** A queue entry is done (acknowledged, expired, dropped); its message loses one reference. */
    void removeEntry(long entrySeq, long messageId);

    void putSubscription(String key, Subscriber subscription);

    void removeSubscription(String key);

    /** An inbound QoS 2 id is released (PUBREL came). */
    void removeInbound(int packetId, Runnable thenOnLoop);

    /** Runs {@code thenOnLoop} once everything recorded before is on disk. */
    void whenStored(Runnable thenOnLoop);

    /**
     * Reads up to {@code limit} queue entries in order, skipping {@code exclude} (sorted: those the
     * session holds in memory).
     */
    void readQueue(long[] exclude, int limit, Consumer<QueuePage> thenOnLoop);

    /** The session ended: everything of it goes. */
    void drop(String clientId);

    /** A session that keeps nothing: callbacks run at once. */
    SessionJournal NONE = new SessionJournal() {
        @Override
        public long storeId() {
            return 0;
        }

        @Override
        public void connected(String clientId, long expiryInterval, Will will) {
        }

        @Override
        public void disconnected(String clientId, long expiryInterval) {
        }

        @Override
        public void putEntry(long entrySeq, QueueEntry entry, Runnable thenOnLoop) {
            if (thenOnLoop != null) {
                thenOnLoop.run();
            }
        }

        @Override
        public void removeEntry(long entrySeq, long messageId) {
        }

        @Override
        public void putSubscription(String key, Subscriber subscription) {
        }

        @Override
        public void removeSubscription(String key) {
        }

        @Override
        public void removeInbound(int packetId, Runnable thenOnLoop) {
            thenOnLoop.run();
        }

        @Override
        public void whenStored(Runnable thenOnLoop) {
            thenOnLoop.run();
        }

        @Override
        public void readQueue(long[] exclude, int limit, Consumer<QueuePage> thenOnLoop) {
            thenOnLoop.accept(new QueuePage(java.util.List.of(), 0, true));
        }

        @Override
        public void drop(String clientId) {
        }
    };
}
