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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retained messages, cluster-wide: every node keeps the same retained set. A change made on one
 * node (a PUBLISH with RETAIN, an empty one clearing it) goes into a Hazelcast
 * {@code ReplicatedMap} by topic, in the store's own record format; the other nodes put it into
 * their own {@link RetainedStore}, from which their new subscribers get it as on one broker.
 * {@code $SYS} topics stay per node.
 * <p>
 * A clear is written as a tombstone (the record with an empty payload and the time of the
 * clear), kept for {@link #TOMBSTONE_HOURS} hours, so that when a partition heals it can beat
 * an older value of the topic from the other side instead of letting it come back. Across a
 * heal the newest record of each topic wins ({@link NewestRetainedWins}, Hazelcast's merge
 * policy for this map), and {@link #converge} then brings each node's own store in line with the
 * merged map: Hazelcast fills a merged map without telling every node's listener.
 */
final class RetainedSync implements Consumer<RetainedMessage>, EntryListener<String, byte[]> {

    static final String MAP = "courtier.retained";
    /** How long a clear is remembered: a partition healing later may bring the cleared value back. */
    static final long TOMBSTONE_HOURS = 24;

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

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
     * store) where the cluster has none or an older one for the topic, then hears every change.
     */
    void start() {
        map.addEntryListener(this);
        converge();
        store.listen(this);
    }

    /**
     * Makes this node's store and the map agree, topic by topic, the newer record winning: the
     * map's goes into the store, this node's own goes into the map. Run at start and after a
     * partition heals (on the writer thread then).
     */
    void converge() {
        converge(map);
    }

    /**
     * As {@link #converge()}, against {@code cluster}: this node's copy of the map, or a copy of
     * another node's ({@link MapsSnapshot}) when this node's may still lack what the other side
     * of a split wrote.
     */
    void converge(Map<String, byte[]> cluster) {
        int taken = 0;
        int offered = 0;
        for (Map.Entry<String, byte[]> e : cluster.entrySet()) {
            RetainedMessage theirs = RetainedCodec.decode(e.getValue());
            RetainedMessage mine = store.get(e.getKey());
            if (theirs.payload().length == 0 ? mine != null && mine.storedAtMillis() <= theirs.storedAtMillis()
                    : mine == null || mine.storedAtMillis() < theirs.storedAtMillis()) {
                store.putFromPeer(theirs);
                taken++;
            }
        }
        java.util.List<RetainedMessage> newer = new java.util.ArrayList<>();
        store.forEach(m -> {
            if (!m.topic().startsWith("$SYS")) {
                byte[] theirs = cluster.get(m.topic());
                if (theirs == null || RetainedCodec.decode(theirs).storedAtMillis() < m.storedAtMillis()) {
                    newer.add(m);
                }
            }
        });
        for (RetainedMessage m : newer) {
            map.put(m.topic(), RetainedCodec.encode(m));
        }
        offered = newer.size();
        if (taken + offered > 0) {
            LOG.info("Cluster: retained messages brought in line with the cluster: {} taken, {} offered.", taken,
                    offered);
        }
    }

    /** A change made on this node. */
    @Override
    public void accept(RetainedMessage m) {
        if (m.topic().startsWith("$SYS")) {
            return;
        }
        byte[] record = RetainedCodec.encode(m.storedAtMillis() > 0 ? m : new RetainedMessage(m.topic(), m.payload(),
                m.qos(), m.properties(), System.currentTimeMillis(), 0, m.sourceClientId(), m.sourceUsername()));
        if (m.payload().length == 0) {
            writer.execute(() -> map.put(m.topic(), record, TOMBSTONE_HOURS, TimeUnit.HOURS));
        } else {
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

    /** Not written by this version (a clear is a tombstone), but a node of an older one removes. */
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

    /** Only tombstones expire: the topic was cleared long ago. */
    @Override
    public void entryEvicted(EntryEvent<String, byte[]> e) {
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> e) {
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
