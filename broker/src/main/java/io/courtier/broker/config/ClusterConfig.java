package io.courtier.broker.config;

import java.util.List;

/**
 * Courtier's cluster (Mosquitto has none): nodes with the same {@code cluster_name} form one
 * broker on Hazelcast's membership and structures. {@link #NONE} (no {@code cluster_*} line) is a
 * plain single broker that never loads a Hazelcast class.
 *
 * @param name              {@code cluster_name}: the Hazelcast cluster name; null = no cluster
 * @param nodeName          {@code cluster_node_name}; null = the host name, settled at start-up
 * @param port              {@code cluster_listener PORT}: where this node talks to its peers
 * @param address           {@code cluster_listener PORT ADDRESS}: the address it binds and is
 *                          reached on; null = every interface, announced as Hazelcast picks one
 * @param members           {@code cluster_member HOST:PORT}, repeatable: peers to join through
 * @param replicas          {@code cluster_replicas}: backup copies of session state (default 1)
 * @param kubernetesService {@code cluster_discovery kubernetes DNS-NAME}: the headless service
 *                          whose DNS records name the peers; null = {@link #members}
 */
public record ClusterConfig(String name, String nodeName, int port, String address, List<Member> members,
                            int replicas, String kubernetesService) {

    /** The port of {@code cluster_listener} when only {@code cluster_name} is given. */
    public static final int DEFAULT_PORT = 7946;
    public static final int DEFAULT_REPLICAS = 1;
    /** Hazelcast keeps at most six backups of a partition. */
    public static final int MAX_REPLICAS = 6;

    public static final ClusterConfig NONE =
            new ClusterConfig(null, null, DEFAULT_PORT, null, List.of(), DEFAULT_REPLICAS, null);

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** Whether this broker is a cluster node at all. */
    public boolean enabled() {
        return name != null;
    }

    /** A peer to join through. */
    public record Member(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
