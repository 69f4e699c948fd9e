package io.courtier.broker.cluster;

import io.courtier.broker.config.ClusterConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This node's name: {@code cluster_node_name}, else the host name (cut to what a name may hold). */
final class NodeName {

    private NodeName() {
    }

    static String of(ClusterConfig config) {
        if (config.nodeName() != null) {
            return config.nodeName();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        String name = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
