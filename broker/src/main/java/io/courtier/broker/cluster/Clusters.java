package io.courtier.broker.cluster;

import io.courtier.broker.config.ClusterConfig;

/**
 * The composition root's one way into the cluster room. {@link #start} is called only when the
 * configuration has {@code cluster_*} lines; the Hazelcast classes load from there and nowhere
 * else, so a single broker pays nothing for them (ClusterClassLoadingTest checks it).
 */
public final class Clusters {

    private Clusters() {
    }

    /** Joins (or forms) the cluster; returns once this node is a member, alone or not. */
    public static Cluster start(ClusterConfig config, ClusterBroker broker) {
        if (!config.enabled()) {
            return Cluster.NONE;
        }
        return HazelcastCluster.start(config, broker);
    }
}
