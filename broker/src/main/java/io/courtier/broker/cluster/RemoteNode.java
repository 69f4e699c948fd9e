package io.courtier.broker.cluster;

import com.hazelcast.topic.ITopic;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;

/**
 * A peer as the router's delivery target ({@value RouteTable#PSEUDO_PREFIX}NODE): what the
 * router hands it is published, once, on the peer's own Hazelcast topic
 * ({@value #TOPIC_PREFIX}NODE), which only that peer listens to. Hazelcast delivers a topic's
 * messages from one member in the order they were published, so a publisher's order holds across
 * the hop. The peer applies its own subscribers' ACLs, QoS and subscription identifiers; it keeps
 * no queue here (a durable message is stored by the node whose subscribers get it). {@code $SYS}
 * topics stay on their node: each node publishes its own.
 */
final class RemoteNode implements DeliveryTarget {

    static final String TOPIC_PREFIX = "courtier.to.";

    private final String clientId;
    private final ITopic<byte[]> topic;
    private final ClusterCounters counters;

    RemoteNode(String node, ITopic<byte[]> topic, ClusterCounters counters) {
        this.clientId = RouteTable.PSEUDO_PREFIX + node;
        this.topic = topic;
        this.counters = counters;
    }

    private void forward(Message message, Subscriber shared) {
        if (message.topic().startsWith("$SYS/")) {
            return;
        }
        topic.publish(Forwarded.encode(message, shared == null ? null : shared.shareGroup(),
                shared == null ? null : shared.filter()));
        counters.forwarded.increment();
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
    }

    @Override
    public long storeId() {
        return 0;
    }

    @Override
    public void notePlanned(Congestion congestion) {
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
        resume.run();
    }

    @Override
    public String toString() {
        return clientId;
    }
}
