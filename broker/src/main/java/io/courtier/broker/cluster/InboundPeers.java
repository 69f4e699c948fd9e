package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * What this node receives from each peer, and its acknowledgements back: every half of the
 * sender's {@link RemoteNode#relief} (16 messages by default) routed here, written back on the link the messages came by
 * ({@link PeerLinks}) as the count routed so far. When routing one found a subscriber here
 * backed up, the acknowledgement waits until that subscriber is relieved, so the sender's
 * {@link RemoteNode} window fills and its publishers stop reading, as they would on one node.
 */
final class InboundPeers {

    private final ClusterBroker broker;
    private final int ackEvery;
    private final Map<String, Inbound> peers = new ConcurrentHashMap<>();

    /** One sender's stream: routed on one thread at a time (the event loop reading its link). */
    private static final class Inbound {
        final Congestion congestion = new Congestion();
        long received;
        boolean waiting;
        /** Writes an acknowledgement back on the link the messages came by. */
        LongConsumer ack;
    }

    InboundPeers(ClusterBroker broker, io.courtier.broker.config.Tunables tunables) {
        this.broker = broker;
        // Under the relief mark, so that a sender whose peer has routed everything always reads again.
        this.ackEvery = Math.max(1, RemoteNode.relief(tunables) / 2);
    }

    /**
     * Routes a message a peer forwarded here, except to the sessions in {@code refused} (null:
     * none; they have it already), and acknowledges it in its turn. Does not consume the reference.
     */
    void received(Forwarded f, Message m, Set<String> refused, LongConsumer ack) {
        Inbound in = peers.computeIfAbsent(f.from(), k -> new Inbound());
        synchronized (in) {
            in.ack = ack;
            broker.deliverForwarded(m, f.shareGroup(), f.shareFilter(), refused, in.congestion);
            in.received++;
            DeliveryTarget congested = in.congestion.take();
            if (in.waiting) {
                return;
            }
            if (congested != null) {
                in.waiting = true;
                congested.whenRelieved(() -> relieved(in));
            } else if (in.received % ackEvery == 0) {
                ack.accept(in.received);
            }
        }
    }

    private void relieved(Inbound in) {
        synchronized (in) {
            in.waiting = false;
            in.ack.accept(in.received);
        }
    }

    /** A peer left (or came back anew): its count starts again. */
    void forget(String node) {
        peers.remove(node);
    }
}
