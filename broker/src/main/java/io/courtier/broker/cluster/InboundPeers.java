package io.courtier.broker.cluster;

import com.hazelcast.topic.ITopic;
import io.courtier.broker.model.Message;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What this node receives from each peer, and its acknowledgements back: every half of the
 * sender's {@link RemoteNode#relief} (16 messages by default) routed here, on the sender's
 * {@value #ACK_PREFIX}NODE topic, as "NODE COUNT". When routing one found a subscriber here
 * backed up, the acknowledgement waits until that subscriber is relieved, so the sender's
 * {@link RemoteNode} window fills and its publishers stop reading, as they would on one node.
 */
final class InboundPeers {

    static final String ACK_PREFIX = "courtier.ack.";

    private final String me;
    private final ClusterBroker broker;
    private final Function<String, ITopic<String>> ackTopic;
    private final int ackEvery;
    private final Map<String, Inbound> peers = new ConcurrentHashMap<>();

    /** One sender's stream: routed on one thread at a time (Hazelcast's event thread for this node's topic). */
    private static final class Inbound {
        final Congestion congestion = new Congestion();
        long received;
        boolean waiting;
    }

    InboundPeers(String me, ClusterBroker broker, Function<String, ITopic<String>> ackTopic,
                 io.courtier.broker.config.Tunables tunables) {
        this.me = me;
        this.broker = broker;
        this.ackTopic = ackTopic;
        // Under the relief mark, so that a sender whose peer has routed everything always reads again.
        this.ackEvery = Math.max(1, RemoteNode.relief(tunables) / 2);
    }

    /** Routes a message a peer forwarded here, and acknowledges it in its turn. Does not consume the reference. */
    void received(Forwarded f, Message m) {
        Inbound in = peers.computeIfAbsent(f.from(), k -> new Inbound());
        synchronized (in) {
            broker.deliverForwarded(m, f.shareGroup(), f.shareFilter(), in.congestion);
            in.received++;
            DeliveryTarget congested = in.congestion.take();
            if (in.waiting) {
                return;
            }
            if (congested != null) {
                in.waiting = true;
                congested.whenRelieved(() -> relieved(f.from(), in));
            } else if (in.received % ackEvery == 0) {
                ack(f.from(), in.received);
            }
        }
    }

    private void relieved(String from, Inbound in) {
        synchronized (in) {
            in.waiting = false;
            ack(from, in.received);
        }
    }

    private void ack(String to, long count) {
        ackTopic.apply(to).publish(me + " " + count);
    }

    /** A peer left (or came back anew): its count starts again. */
    void forget(String node) {
        peers.remove(node);
    }
}
