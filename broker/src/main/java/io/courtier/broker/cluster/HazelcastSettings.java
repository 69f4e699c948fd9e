package io.courtier.broker.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.ReplicatedMapConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import io.courtier.broker.config.ClusterConfig;

/**
 * The embedded Hazelcast member's configuration, from the {@code cluster_*} lines: the cluster
 * name, one exact port (no auto-increment, so several nodes fit on one host with distinct
 * {@code cluster_listener} ports and a port in use is an error, not a silent move), an explicit
 * TCP/IP member list or Kubernetes DNS discovery, never multicast, and the failure detector tuned
 * for a broker: a dead node's clients should get their wills within seconds, not Hazelcast's
 * default minute.
 */
final class HazelcastSettings {

    /** Member attribute carrying a node's {@code cluster_node_name}. */
    static final String NODE_ATTRIBUTE = "courtier.node";
    /** Member attribute carrying the port of a node's message link ({@link PeerLinks}). */
    static final String LINK_PORT_ATTRIBUTE = "courtier.link";
    /** The client table (client id → node, will); an IMap with {@code cluster_replicas} backups. */
    static final String CLIENTS = "courtier.clients";
    /** Heartbeats every second; a node silent this long is removed and its clients' wills go out. */
    static final int MAX_NO_HEARTBEAT_SECONDS = 8;

    private HazelcastSettings() {
    }

    static Config of(ClusterConfig c, String nodeName) {
        Config config = new Config();
        config.setClusterName(c.name());
        config.setInstanceName("courtier-" + nodeName);
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
        config.getMemberAttributeConfig().setAttribute(LINK_PORT_ATTRIBUTE,
                String.valueOf(c.port() + PeerLinks.PORT_OFFSET));
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        // The broker stops the member itself, after its clients (Broker.close).
        config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
        config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(),
                String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
        // Start without waiting long for peers that are not there yet (a node that reaches none
        // starts alone); look for them again, and merge a healed partition, every few seconds
        // rather than every few minutes. A join that finds peers but cannot finish keeps trying
        // for Hazelcast's default 300 s (a shorter bound shut nodes down on a loaded machine).
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "3");
        config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), "5");
        config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), "5");
        config.setProperty(ClusterProperty.HEALTH_MONITORING_LEVEL.getName(), "OFF");
        config.getJetConfig().setEnabled(false);

        NetworkConfig net = config.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(false);
        net.getRestApiConfig().setEnabled(false);
        if (c.address() != null) {
            config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
            net.getInterfaces().setEnabled(true).addInterface(c.address());
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (c.kubernetesService() != null) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", c.kubernetesService())
                    .setProperty("service-port", String.valueOf(c.port()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
            c.members().forEach(m -> join.getTcpIpConfig().addMember(m.toString()));
        }
        config.addMapConfig(new MapConfig(CLIENTS).setBackupCount(c.replicas()));
        config.addReplicatedMapConfig(new ReplicatedMapConfig(RetainedSync.MAP)
                .setMergePolicyConfig(new MergePolicyConfig(NewestRetainedWins.class.getName(),
                        MergePolicyConfig.DEFAULT_BATCH_SIZE)));
        return config;
    }
}
