package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent session moving nodes while its publisher's node lags behind: node 1 holds every
 * frame it writes to node 2 for four seconds (a test tunable), longer than any timer of the move.
 * The session parks from node 1, resumes on node 2, and node 1 publishes QoS 2 throughout: some
 * of those messages node 1 had routed to the parked copy, some it forwards to node 2 by route,
 * seconds late. The session gets each of them exactly once, as on one broker.
 */
class ClusterHandoverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ClusterNodes(dir, 2, "sys_interval 1", "log_type all");
        cluster.get(1).jvmOptions.add("-Dcourtier.tunable.peerLinkDelayMillis=4000");
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Received::close);
    }

    @Test
    void aQos2MessageReachesAMovedSessionOnceWhenItsPublishersNodeLagsBehindTheMove() throws Exception {
        Received sub = Received.connect(cluster.get(1), "ho-sub", false);
        sub.client.subscribe("ho/#", 2);
        sub.close();
        OfflineStreamFault.awaitParked(cluster, 1, "ho-sub", 2, 1);
        Received pub = Received.connect(cluster.get(1), "ho-pub", true);
        clients.add(pub);
        List<String> sent = new ArrayList<>();
        pub.publish("ho/m", "parked", 2, false); // queued in the cluster before the move
        sent.add("parked");

        Received moved = Received.connect(cluster.get(2), "ho-sub", false);
        clients.add(moved);
        assertThat(moved.sessionPresent).isTrue();
        // Published on while the session moves and node 2's route spreads: three seconds of
        // QoS 2, each publish returning at PUBCOMP.
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (int i = 0; System.nanoTime() < until; i++) {
            pub.publish("ho/m", "m" + i, 2, false);
            sent.add("m" + i);
        }
        // Node 1 writes to node 2 in order: once the fence is there, so is everything sent before it.
        pub.publish("ho/m", "fence", 2, false);
        await().atMost(WAIT).until(() -> moved.payloadsOn("ho/m").contains("fence"));

        List<String> got = moved.payloadsOn("ho/m");
        assertThat(got).doesNotHaveDuplicates().containsAll(sent).hasSize(sent.size() + 1);
        assertThat(moved.messages).allMatch(g -> g.qos() == 2);
        assertThat(cluster.get(2).log()).contains("Client ho-sub resumed its session from the cluster: 1 "
                + "subscription(s), 1 message(s).");
        // The move ends, however late node 1's word comes: node 2 heard from both nodes.
        await().atMost(WAIT).until(() -> cluster.get(2).log().contains("Client ho-sub: every node let go of its "
                + "parked copy."));
    }
}
