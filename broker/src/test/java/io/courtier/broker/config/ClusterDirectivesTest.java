package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster_* directives: what they configure, and the FILE:LINE errors that stop start-up. */
class ClusterDirectivesTest {

    @TempDir
    Path tmp;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(tmp);
    }

    @Test
    void withoutClusterLinesTheBrokerIsSingle() throws Exception {
        assertThat(files.config("listener 1883").cluster()).isSameAs(ClusterConfig.NONE);
        assertThat(ClusterConfig.NONE.enabled()).isFalse();
    }

    @Test
    void theIssuesExampleReadsAsWritten() throws Exception {
        ClusterConfig c = files.config("listener 1883",
                "cluster_name home                 # nodes with the same name form one cluster",
                "cluster_node_name node1",
                "cluster_listener 7946 10.0.0.5",
                "cluster_member 10.0.0.6:7946",
                "cluster_member [fd00::7]:7947",
                "cluster_replicas 2").cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.name()).isEqualTo("home");
        assertThat(c.nodeName()).isEqualTo("node1");
        assertThat(c.port()).isEqualTo(7946);
        assertThat(c.address()).isEqualTo("10.0.0.5");
        assertThat(c.members()).containsExactly(new ClusterConfig.Member("10.0.0.6", 7946),
                new ClusterConfig.Member("fd00::7", 7947));
        assertThat(c.members().get(1)).hasToString("[fd00::7]:7947");
        assertThat(c.replicas()).isEqualTo(2);
        assertThat(c.kubernetesService()).isNull();
    }

    @Test
    void defaultsAreTheHostNamePort7946AndOneReplica() throws Exception {
        ClusterConfig c = files.config("listener 1883", "cluster_name home").cluster();
        assertThat(c.nodeName()).isNull(); // the host name, settled when the node starts
        assertThat(c.port()).isEqualTo(7946);
        assertThat(c.address()).isNull();
        assertThat(c.members()).isEmpty();
        assertThat(c.replicas()).isEqualTo(1);
    }

    @Test
    void kubernetesDiscoveryNamesTheService() throws Exception {
        ClusterConfig c = files.config("listener 1883", "cluster_name home",
                "cluster_discovery kubernetes courtier.mqtt.svc.cluster.local").cluster();
        assertThat(c.kubernetesService()).isEqualTo("courtier.mqtt.svc.cluster.local");
    }

    @Test
    void badValuesStopStartUpWithFileAndLine() throws Exception {
        assertThat(files.error("listener 1883", "cluster_name")).isEqualTo(
                "test.conf:2: Empty cluster_name value in configuration.");
        assertThat(files.error("listener 1883", "cluster_name home/1")).startsWith(
                "test.conf:2: Invalid cluster_name value (home/1)");
        assertThat(files.error("cluster_name a", "cluster_node_name two words")).startsWith(
                "test.conf:2: Invalid cluster_node_name value (two words)");
        assertThat(files.error("cluster_name a", "cluster_node_name n+1")).startsWith(
                "test.conf:2: Invalid cluster_node_name value (n+1)");
        assertThat(files.error("cluster_name a", "cluster_listener 70000")).isEqualTo(
                "test.conf:2: Invalid cluster_listener port (70000): must be between 1 and 65535.");
        assertThat(files.error("cluster_name a", "cluster_listener 7946 10.0.0.1 extra")).isEqualTo(
                "test.conf:2: Invalid cluster_listener value (7946 10.0.0.1 extra): expected PORT [ADDRESS].");
        assertThat(files.error("cluster_name a", "cluster_member 10.0.0.6")).startsWith(
                "test.conf:2: Invalid cluster_member value (10.0.0.6): expected HOST:PORT");
        assertThat(files.error("cluster_name a", "cluster_member fd00::7:7946")).startsWith(
                "test.conf:2: Invalid cluster_member value (fd00::7:7946): expected HOST:PORT");
        assertThat(files.error("cluster_name a", "cluster_member host:port")).isEqualTo(
                "test.conf:2: Invalid cluster_member port (port): must be between 1 and 65535.");
        assertThat(files.error("cluster_name a", "cluster_replicas 7")).isEqualTo(
                "test.conf:2: Invalid cluster_replicas value (7): must be between 0 and 6.");
        assertThat(files.error("cluster_name a", "cluster_replicas -1")).isEqualTo(
                "test.conf:2: Invalid cluster_replicas value (-1): must be between 0 and 6.");
        assertThat(files.error("cluster_name a", "cluster_discovery multicast")).startsWith(
                "test.conf:2: Invalid cluster_discovery value (multicast): expected kubernetes SERVICE-DNS-NAME");
        assertThat(files.error("cluster_name a", "cluster_discovery kubernetes bad_name")).isEqualTo(
                "test.conf:2: Invalid cluster_discovery service name (bad_name): not a DNS name.");
        assertThat(files.error("cluster_name a", "cluster_bogus 1")).isEqualTo(
                "test.conf:2: Unknown configuration variable \"cluster_bogus\".");
    }

    @Test
    void wholeFileRulesNameTheLineThatBrokeThem() throws Exception {
        assertThat(files.error("listener 1883", "cluster_member 10.0.0.6:7946", "cluster_replicas 1")).isEqualTo(
                "test.conf:2: cluster_member needs cluster_name: nodes with the same cluster_name form a cluster.");
        assertThat(files.error("cluster_name a", "cluster_member 10.0.0.6:7946",
                "cluster_discovery kubernetes courtier")).isEqualTo(
                "test.conf:3: cluster_discovery and cluster_member (test.conf:2) cannot be used together: choose one "
                        + "way to find the peers.");
        assertThat(files.error("listener 7946", "cluster_name a", "cluster_listener 7946")).isEqualTo(
                "test.conf:3: cluster_listener port 7946 or the next one (which carries forwarded messages) is also "
                        + "an MQTT listener's port 7946: give the cluster two ports of its own.");
        assertThat(files.error("listener 7946", "cluster_name a")).isEqualTo(
                "test.conf:2: cluster_listener port 7946 or the next one (which carries forwarded messages) is also "
                        + "an MQTT listener's port 7946: give the cluster two ports of its own.");
        assertThat(files.error("listener 7947", "cluster_name a", "cluster_listener 7946")).isEqualTo(
                "test.conf:3: cluster_listener port 7946 or the next one (which carries forwarded messages) is also "
                        + "an MQTT listener's port 7947: give the cluster two ports of its own.");
        assertThat(files.error("cluster_name a", "cluster_listener 65535")).isEqualTo(
                "test.conf:2: cluster_listener port 65535 leaves no room for the next port, which carries the "
                        + "messages nodes forward to each other: choose a port under 65535.");
    }

    @Test
    void testConfigReportsEveryClusterError() throws Exception {
        Path p = files.write("check.conf", "cluster_name a", "cluster_listener x", "cluster_replicas 9");
        List<String> errors = ConfigParser.check(p).errors();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).endsWith("check.conf:2: Invalid cluster_listener port (x): must be between 1 and "
                + "65535.");
        assertThat(errors.get(1)).endsWith("check.conf:3: Invalid cluster_replicas value (9): must be between 0 and "
                + "6.");
    }

    @Test
    void aReloadKeepsTheRunningClusterAndSaysSo() throws Exception {
        BrokerConfig running = files.config("listener 1883", "cluster_name a");
        ParsedConfig fresh = files.parse("listener 1883", "cluster_name b");
        ParsedConfig next = ConfigReload.apply(running, fresh);
        assertThat(next.config().cluster().name()).isEqualTo("a");
        assertThat(next.warnings()).contains("cluster_* changed: it is read at start-up only; restart to apply it.");
    }
}
