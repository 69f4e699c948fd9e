package io.courtier.broker.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.routing.RetainedStore;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Retained messages, cluster-wide: every node keeps the same retained set. A change made on one
 * node (a PUBLISH with RETAIN, an empty one clearing it) goes into a Hazelcast
 * {@code ReplicatedMap} by topic, in the store's own record format; the other nodes put it into
 * their own {@link RetainedStore}, from which their new subscribers get it as on one broker. Two
 * nodes retaining on the same topic at the same moment settle on one of the two (the map's last
 * write). {@code $SYS} topics stay per node.
 */
final class RetainedSync implements Consumer<RetainedMessage>, EntryListener<String, byte[]> {

    private final ReplicatedMap<String, byte[]> map;
    private final RetainedStore store;
    private final Executor writer;

    RetainedSync(ReplicatedMap<String, byte[]> map, RetainedStore store, Executor writer) {
        this.map = map;
        this.store = store;
        this.writer = writer;
    }

    /**
     * Takes the cluster's retained messages and offers this node's own (those it restored from its
     * store) where the cluster has none for the topic, then hears every change.
     */
    void start() {
        map.addEntryListener(this);
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            store.putFromPeer(RetainedCodec.decode(e.getValue()));
        }
        store.forEach(m -> {
            if (!m.topic().startsWith("$SYS")) {
                map.putIfAbsent(m.topic(), RetainedCodec.encode(m));
            }
        });
        store.listen(this);
    }

    /** A change made on this node. */
    @Override
    public void accept(RetainedMessage m) {
        if (m.topic().startsWith("$SYS")) {
            return;
        }
        if (m.payload().length == 0) {
            writer.execute(() -> map.remove(m.topic()));
        } else {
            byte[] record = RetainedCodec.encode(m);
            writer.execute(() -> map.put(m.topic(), record));
        }
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> e) {
        fromPeer(e);
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> e) {
        fromPeer(e);
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> e) {
        if (!e.getMember().localMember()) {
            RetainedMessage old = store.get(e.getKey());
            if (old != null) {
                store.putFromPeer(new RetainedMessage(e.getKey(), new byte[0], 0, old.properties(),
                        System.currentTimeMillis(), 0, null, null));
            }
        }
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> e) {
        entryRemoved(e);
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> e) {
        entryRemoved(e);
    }

    @Override
    public void mapCleared(MapEvent e) {
    }

    @Override
    public void mapEvicted(MapEvent e) {
    }

    private void fromPeer(EntryEvent<String, byte[]> e) {
        if (!e.getMember().localMember() && e.getValue() != null) {
            store.putFromPeer(RetainedCodec.decode(e.getValue()));
        }
    }
}
