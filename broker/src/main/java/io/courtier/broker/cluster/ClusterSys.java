package io.courtier.broker.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's part of the {@code $SYS/broker/} tree, published every {@code sys_interval} by
 * each node about itself and the cluster as it sees it: {@code cluster/node} (this node's name),
 * {@code cluster/nodes} (how many), {@code cluster/members} (their names, oldest first),
 * {@code cluster/state} ({@code alone} or {@code joined}), what crossed between nodes, and how many offline
 * sessions are parked in the cluster ({@code cluster/sessions/parked}).
 */
public final class ClusterSys {

    private ClusterSys() {
    }

    /** Topics under {@code $SYS/broker/} and their values; empty on a single broker. */
    public static Map<String, Object> values(Cluster cluster) {
        if (!cluster.enabled()) {
            return Map.of();
        }
        List<Cluster.Node> nodes = cluster.nodes();
        Cluster.Stats s = cluster.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster/node", cluster.nodeName());
        m.put("cluster/nodes", nodes.size());
        m.put("cluster/members", String.join(" ", nodes.stream().map(Cluster.Node::name).toList()));
        m.put("cluster/state", nodes.size() > 1 ? "joined" : "alone");
        m.put("cluster/messages/forwarded", s.forwarded());
        m.put("cluster/messages/received", s.received());
        m.put("cluster/wills/published", s.wills());
        m.put("cluster/clients/taken_over", s.takenOver());
        m.put("cluster/sessions/parked", s.parked());
        return m;
    }
}
