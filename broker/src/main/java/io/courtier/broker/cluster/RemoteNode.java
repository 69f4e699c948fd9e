package io.courtier.broker.cluster;

import io.courtier.broker.config.Tunables;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * A peer as the router's delivery target ({@value RouteTable#PSEUDO_PREFIX}NODE): what the
 * router hands it is written, once, on this node's link to the peer ({@link PeerLinks}), one TCP
 * connection, so a publisher's order holds across the hop. The peer applies its own subscribers' ACLs, QoS and subscription identifiers; it keeps
 * no queue here (a durable message is stored by the node whose subscribers get it). {@code $SYS}
 * topics stay on their node: each node publishes its own.
 * <p>
 * Back-pressure crosses the hop as it crosses event loops on one node: the peer acknowledges
 * what it has routed ({@link InboundPeers}), holding its acknowledgement back while a subscriber
 * there is backed up; past {@link #window} unacknowledged messages this target is backed up
 * and the publishers feeding it stop reading, until fewer than {@link #relief} are.
 */
final class RemoteNode implements DeliveryTarget {

    private final String me;
    private final String clientId;
    private final PeerLinks.Link link;
    private final ClusterCounters counters;
    private final int high;
    private final int low;
    private final AtomicLong sent = new AtomicLong();
    /** How many of {@link #sent} the peer has routed, as its last acknowledgement said. */
    private volatile long acked;
    private volatile boolean gone;
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    RemoteNode(String me, String node, ClusterCounters counters, Tunables tunables,
               Function<LongConsumer, PeerLinks.Link> connect) {
        this.me = me;
        this.clientId = RouteTable.PSEUDO_PREFIX + node;
        this.link = connect.apply(this::acked);
        this.counters = counters;
        this.high = window(tunables);
        this.low = relief(tunables);
    }

    /**
     * Unacknowledged messages past which a peer counts as backed up: a quarter of a session
     * inbox's low mark (128 by default). What a peer receives past its subscriber's high mark is
     * that subscriber's overshoot, one window per sending node, so it stays well under the half of
     * max_queued_messages (default 1,000) at which a subscriber presses back: with half the
     * low mark (256), a flat-out fan-in from three nodes lost 112 and 193 of about a million
     * messages at that limit; with this, none.
     */
    static int window(Tunables t) {
        return Math.max(2, t.inboxLow() / 4);
    }

    /** Unacknowledged messages under which paused publishers read again: a quarter of the window. */
    static int relief(Tunables t) {
        return Math.max(1, window(t) / 4);
    }

    private void forward(Message message, Subscriber shared) {
        if (message.topic().startsWith("$SYS/")) {
            return;
        }
        link.send(Forwarded.encode(me, message, shared == null ? null : shared.shareGroup(),
                shared == null ? null : shared.filter()));
        sent.incrementAndGet();
        counters.forwarded.increment();
    }

    /** Writes a frame that is not a forwarded message ({@link HandoverFrames}) behind what was forwarded. */
    void send(byte[] frame) {
        link.send(frame);
    }

    /** The peer acknowledged having routed {@code count} of the messages sent to it. */
    void acked(long count) {
        if (count > acked) {
            acked = count;
        }
        if (relieved()) {
            wake();
        }
    }

    /** The peer left: nothing waits for it any longer. */
    void close() {
        gone = true;
        link.close();
        wake();
    }

    private boolean backedUp() {
        return !gone && sent.get() - acked > high;
    }

    private boolean relieved() {
        return gone || sent.get() - acked <= low;
    }

    private void wake() {
        for (Runnable r; (r = waiters.poll()) != null; ) {
            r.run();
        }
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** A node in the cluster counts as connected: the membership listener detaches it when it goes. */
    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public Boolean mayReadNow(String topic) {
        return Boolean.TRUE; // the node that delivers checks its subscribers' ACL
    }

    @Override
    public void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                 Subscriber shared) {
        forward(message, shared);
    }

    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        forward(message, shared);
        if (backedUp()) {
            congestion.note(this);
        }
    }

    @Override
    public long storeId() {
        return 0;
    }

    @Override
    public void notePlanned(Congestion congestion) {
        if (backedUp()) {
            congestion.note(this);
        }
    }

    @Override
    public void plannedDropped() {
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                                long entrySeq, long batch) {
        forward(message, shared);
    }

    @Override
    public void whenRelieved(Runnable resume) {
        waiters.add(resume);
        if (relieved()) {
            wake(); // relieved meanwhile: nobody else may look again
        }
    }

    @Override
    public String toString() {
        return clientId;
    }
}
