package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker without {@code cluster_*} lines is a plain single broker: it never loads a Hazelcast
 * class (the JVM's class-loading log says so), while one with them does.
 */
class ClusterClassLoadingTest {

    @TempDir
    Path dir;

    @Test
    void aSingleBrokerLoadsNoHazelcastClass() throws Exception {
        String log = run(List.of("listener " + External.freePort() + " 127.0.0.1"));
        assertThat(log).contains("io.courtier.broker.Broker ").doesNotContain("com.hazelcast");
    }

    @Test
    void aClusterNodeDoes() throws Exception {
        String log = run(List.of("listener " + External.freePort() + " 127.0.0.1", "cluster_name lone",
                "cluster_node_name lone1", "cluster_listener " + External.freePort() + " 127.0.0.1"));
        assertThat(log).contains("com.hazelcast.core.Hazelcast ");
    }

    /** Starts a broker with the JVM's class-loading log on, waits until it runs, stops it; returns its output. */
    private String run(List<String> conf) throws Exception {
        Path file = dir.resolve("broker.conf");
        Files.write(file, conf);
        Path out = dir.resolve("out.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info:stdout"));
        cmd.addAll(ClusterNodes.HAZELCAST_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.courtier.cli.Main", "broker", "-c",
                file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains(" running")
                    || !p.isAlive());
            return Files.readString(out);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
