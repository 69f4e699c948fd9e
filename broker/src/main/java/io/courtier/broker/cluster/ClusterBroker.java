package io.courtier.broker.cluster;

import io.courtier.broker.config.Tunables;
import io.courtier.broker.model.Message;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.TopicTree;
import java.util.Set;

/**
 * What a node needs from the broker it runs in. The composition root implements it over the
 * broker's rooms; the cluster room never reaches into them otherwise.
 */
public interface ClusterBroker {

    /** The subscriptions: the cluster adds each peer's routes as subscriptions of its pseudo client. */
    TopicTree tree();

    /** The retained messages: kept the same on every node. */
    RetainedStore retained();

    /**
     * A message another node accepted and forwarded here: delivered to this node's own
     * subscribers and never forwarded again. With {@code shareGroup} set it goes to one member of
     * that shared subscription ({@code shareFilter}) only, which the sending node chose this node
     * for; without, to this node's ordinary subscriptions only (the sender picked the groups).
     * Sessions in {@code refused} (null: none) do not get it: they have it already, by another path.
     * Subscribers here that are backed up note themselves in {@code congestion}.
     */
    void deliverForwarded(Message message, String shareGroup, String shareFilter, Set<String> refused,
                          Congestion congestion);

    /** The broker's internal limits: a peer's window of unacknowledged messages follows a session inbox's. */
    Tunables tunables();

    /** max_queued_messages (0: unlimited): a parked session's queue keeps no more, as a session's own. */
    int maxQueuedMessages();

    /** max_queued_bytes (0: unlimited): of payload, as a session's own queue counts them. */
    long maxQueuedBytes();

    /** queue_qos0_messages: whether a parked session's queue takes QoS 0 messages too. */
    boolean queueQos0Messages();

    /** The session of {@code clientId} on this broker, or null. */
    io.courtier.broker.session.Session session(String clientId);

    /** Messages dropped for a parked session (its queue was full): counted as a full queue's ($SYS). */
    void dropped(int count);

    /**
     * Runs {@code then} (on any thread) once every message this broker routed before the call has
     * been handed to its targets, those waiting for the disk included: each event loop runs a task
     * after what it was doing, and with persistence each has a store write go behind its pending ones.
     */
    void afterRouted(Runnable then);

    /**
     * The broker's store: with {@code persistence true} a node keeps its share of the parked
     * sessions there too ({@link ParkedDisk}), so that they outlive a restart of every node.
     */
    io.courtier.broker.persistence.Store store();

    /** A will of a client whose node died: published here as if its client had gone from this node. */
    void publishWill(Message will);

    /** A client connected on another node: its connection here (if any) is taken over and its session here ends. */
    void takenOver(String clientId);

    /** Attaches a peer's delivery target to the router: its pseudo client id's subscriptions route to it. */
    void attach(DeliveryTarget peer);

    void detach(DeliveryTarget peer);

    /** The broker's event loops, on which the links that carry forwarded messages run ({@link PeerLinks}). */
    Loops loops();

    /** Event loops and the channel classes of their transport (epoll or NIO). */
    record Loops(io.netty.channel.EventLoopGroup group, Class<? extends io.netty.channel.ServerChannel> serverChannel,
                 Class<? extends io.netty.channel.socket.SocketChannel> socketChannel) {
    }
}
