package io.courtier.broker.cluster;

import io.courtier.broker.session.ClientPresence;
import java.util.List;

/**
 * This broker as a node of a cluster, as the rest of the broker sees it: no Hazelcast type
 * appears here, so a broker without {@code cluster_*} lines, which holds {@link #NONE}, never
 * loads a Hazelcast class ({@link Clusters#start} is the only way in).
 */
public interface Cluster extends AutoCloseable {

    /** A single broker. */
    Cluster NONE = new Cluster() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String nodeName() {
            return null;
        }

        @Override
        public List<Node> nodes() {
            return List.of();
        }

        @Override
        public Stats stats() {
            return new Stats(0, 0, 0, 0, 0);
        }

        @Override
        public ClientPresence presence() {
            return ClientPresence.NONE;
        }

        @Override
        public void close() {
        }
    };

    boolean enabled();

    /** This node's {@code cluster_node_name} (or host name); null for a single broker. */
    String nodeName();

    /** The nodes in the cluster as this node sees it now, this one included, oldest first. */
    List<Node> nodes();

    /** What crossed between this node and its peers. */
    Stats stats();

    /** The cluster's client table, told of every client that connects here. */
    ClientPresence presence();

    @Override
    void close();

    /**
     * @param forwarded messages this node sent to peers (one per peer a message went to)
     * @param received  messages peers sent to this node
     * @param wills     wills of a dead node's clients this node published
     * @param takenOver clients here taken over by a connection to another node
     * @param parked    persistent sessions of offline clients parked in the cluster (this node routes to each)
     */
    record Stats(long forwarded, long received, long wills, long takenOver, long parked) {
    }

    /**
     * One node: its name, where its peers reach it, and whether it is this one.
     */
    record Node(String name, String address, boolean local) {
    }
}
