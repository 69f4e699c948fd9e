package io.courtier.broker.persistence;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.persistence.codec.SubscriptionCodec;
import io.courtier.broker.session.QueuePage;
import io.courtier.broker.session.SessionJournal;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A persistent session's journal on the {@link Store}: each record becomes a typed write in the
 * next group commit. Callbacks run on the session's current loop ({@code loop} follows it when
 * the client reconnects through another one).
 */
public final class StoreJournal implements SessionJournal {

    private final Store store;
    private final long storeId;
    private final Supplier<EventLoop> loop;

    public StoreJournal(Store store, long storeId, Supplier<EventLoop> loop) {
        this.store = store;
        this.storeId = storeId;
        this.loop = loop;
    }

    @Override
    public long storeId() {
        return storeId;
    }

    @Override
    public void connected(String clientId, long expiryInterval, Will will) {
        SessionRecord r = new SessionRecord(storeId, expiryInterval, true, 0, will);
        store.submit(b -> b.putSession(clientId, r), loop.get(), null);
    }

    @Override
    public void disconnected(String clientId, long expiryInterval) {
        SessionRecord r = new SessionRecord(storeId, expiryInterval, false, System.currentTimeMillis(), null);
        store.submit(b -> b.putSession(clientId, r), loop.get(), null);
    }

    @Override
    public void putEntry(long entrySeq, QueueEntry entry, Runnable thenOnLoop) {
        store.submit(b -> b.putEntry(storeId, entrySeq, entry), loop.get(),
                thenOnLoop == null ? null : failure -> thenOnLoop.run());
    }

    @Override
    public void removeEntry(long entrySeq, long messageId) {
        store.submit(b -> b.removeEntry(storeId, entrySeq, messageId), loop.get(), null);
    }

    @Override
    public void putSubscription(String key, Subscriber subscription) {
        byte[] value = SubscriptionCodec.encode(subscription);
        store.submit(b -> b.putSubscription(storeId, key, value), loop.get(), null);
    }

    @Override
    public void removeSubscription(String key) {
        store.submit(b -> b.removeSubscription(storeId, key), loop.get(), null);
    }

    @Override
    public void removeInbound(int packetId, Runnable thenOnLoop) {
        store.submit(b -> b.removeInbound(storeId, packetId), loop.get(), failure -> thenOnLoop.run());
    }

    @Override
    public void whenStored(Runnable thenOnLoop) {
        store.submit(b -> { }, loop.get(), failure -> thenOnLoop.run());
    }

    @Override
    public void readQueue(long[] exclude, int limit, Consumer<QueuePage> thenOnLoop) {
        store.readQueue(storeId, exclude, limit, loop.get(), thenOnLoop);
    }

    @Override
    public void drop(String clientId) {
        store.submit(b -> b.dropSession(clientId, storeId), loop.get(), null);
    }
}
