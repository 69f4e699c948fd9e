package io.courtier.broker.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected clients across the cluster: a Hazelcast {@code IMap} from client id to the node it is
 * connected to and its will, kept with {@code cluster_replicas} backups so that it outlives any
 * one node. A connection on one node to an id connected on another takes that session over (the
 * other node hears the entry change and closes its connection, as one broker would); when a node
 * dies, the oldest node left publishes the wills of the clients that were connected to it.
 */
final class ClientTable implements EntryAddedListener<String, byte[]>,
        EntryUpdatedListener<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final String me;
    private final IMap<String, byte[]> clients;
    private final ClusterBroker broker;
    private final ScheduledExecutorService writer;
    private final ClusterCounters counters;
    /** What this node wrote for each client connected here. */
    private final Map<String, byte[]> here = new ConcurrentHashMap<>();
    /** Wills of a dead node's clients this node holds for their Will Delay Interval. */
    private final DelayedWills delayed;

    ClientTable(String me, IMap<String, byte[]> clients, ClusterBroker broker, ScheduledExecutorService writer,
                ClusterCounters counters) {
        this.me = me;
        this.clients = clients;
        this.broker = broker;
        this.writer = writer;
        this.counters = counters;
        this.delayed = new DelayedWills(writer, broker, counters);
    }

    void start() {
        clients.addEntryListener(this, true);
    }

    public Runnable connected(String clientId, Message will, long willDelaySeconds, boolean cleanStart,
                              boolean persistent) {
        byte[] value = encode(me, will, willDelaySeconds, cleanStart, persistent);
        here.put(clientId, value);
        writer.execute(() -> clients.set(clientId, value));
        return () -> {
            if (here.remove(clientId, value)) {
                writer.execute(() -> clients.remove(clientId, value));
            }
        };
    }

    /**
     * A session parked here left a delayed will: it goes out after {@code delayMillis} unless the
     * client connects again, on any node, within it (the table's events say so everywhere).
     */
    void holdWill(String clientId, long delayMillis, Runnable publish) {
        delayed.hold(clientId, delayMillis, publish, clients::containsKey);
    }

    /** The table's value for a client (null: not connected anywhere), read asynchronously. */
    java.util.concurrent.CompletionStage<byte[]> lookup(String clientId) {
        return clients.getAsync(clientId);
    }

    /**
     * Claims a client id for a connection here before its session is settled: the node it is
     * connected to takes it over (and parks its persistent session for this node to take).
     */
    java.util.concurrent.CompletionStage<Void> claim(String clientId) {
        return clients.setAsync(clientId, encode(me, null, 0, false, true));
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> e) {
        claimed(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> e) {
        claimed(e.getKey(), e.getValue());
    }

    /**
     * Another node now holds this client id: a connection here is taken over, and the session
     * here ends, or is parked in the cluster for that node to take when it is persistent.
     */
    private void claimed(String clientId, byte[] value) {
        delayed.reconnected(clientId, cleanStartOf(value));
        String node = nodeOf(value);
        if (node.equals(me)) {
            return;
        }
        byte[] mine = here.get(clientId);
        if (mine != null && !Arrays.equals(mine, value) && here.remove(clientId, mine)) {
            counters.takenOver.increment();
            LOG.info("Client {} connected to cluster node {}: its connection here is taken over.", clientId, node);
        }
        broker.takenOver(clientId);
    }

    /**
     * A node left the cluster: the oldest node left publishes its clients' wills and forgets them;
     * a will with a delay waits for it here ({@link DelayedWills}).
     */
    void nodeLeft(String node, boolean oldest) {
        if (!oldest) {
            return;
        }
        writer.execute(() -> {
            int wills = 0;
            int later = 0;
            for (Map.Entry<String, byte[]> e : clients.entrySet()) {
                if (!nodeOf(e.getValue()).equals(node) || !clients.remove(e.getKey(), e.getValue())) {
                    continue;
                }
                Message will = willOf(e.getValue());
                if (will == null) {
                    continue;
                }
                long delay = willDelayOf(e.getValue());
                if (delay > 0) {
                    delayed.schedule(e.getKey(), will, delay);
                    later++;
                    continue;
                }
                try {
                    broker.publishWill(will);
                    wills++;
                    counters.willsPublished.increment();
                } finally {
                    will.release();
                }
            }
            LOG.info("Cluster node {} left: published {} will(s) of its clients{}.", node, wills,
                    later == 0 ? "" : ", " + later + " more after their will delay unless their clients return");
        });
    }

    /** Writes this node's clients again: after a partition heals the merged table may have lost some. */
    void republish() {
        here.forEach((id, value) -> writer.execute(() -> clients.set(id, value)));
    }

    /**
     * A client's entry: its node's name, its will delay in seconds, its flags (whether it connected
     * with Clean Start; whether its session outlives the connection, so that a node taking it over
     * waits for it to be parked), and its will in the store's record format (absent: none).
     */
    static byte[] encode(String node, Message will, long willDelaySeconds, boolean cleanStart, boolean persistent) {
        byte[] name = node.getBytes(StandardCharsets.UTF_8);
        byte[] w = will == null ? new byte[0] : MessageCodec.encode(will);
        return ByteBuffer.allocate(2 + name.length + 5 + w.length).putShort((short) name.length).put(name)
                .putInt((int) Math.min(willDelaySeconds, 0xffff_ffffL))
                .put((byte) ((cleanStart ? CLEAN_START : 0) | (persistent ? PERSISTENT : 0))).put(w).array();
    }

    static String nodeOf(byte[] value) {
        return new String(value, 2, nameLength(value), StandardCharsets.UTF_8);
    }

    static long willDelayOf(byte[] value) {
        return ByteBuffer.wrap(value, 2 + nameLength(value), 4).getInt() & 0xffff_ffffL;
    }

    private static final int CLEAN_START = 1;
    private static final int PERSISTENT = 2;

    static boolean cleanStartOf(byte[] value) {
        return (value[2 + nameLength(value) + 4] & CLEAN_START) != 0;
    }

    /** Whether the client's session there outlives its connection (it is parked when taken over). */
    static boolean persistentOf(byte[] value) {
        return (value[2 + nameLength(value) + 4] & PERSISTENT) != 0;
    }

    /** The will a value carries, as a message accepted now (its expiry counts from now), or null. */
    static Message willOf(byte[] value) {
        int start = 2 + nameLength(value) + 5;
        if (value.length == start) {
            return null;
        }
        var w = MessageCodec.decode(Arrays.copyOfRange(value, start, value.length));
        return new Message(w.topic(), w.qos(), w.retain(), w.properties(),
                io.netty.buffer.Unpooled.wrappedBuffer(w.payload()), w.publisherId());
    }

    private static int nameLength(byte[] value) {
        return ((value[0] & 0xff) << 8) | (value[1] & 0xff);
    }
}
