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
 * A parked session's queue in the cluster keeps to the queue limits as a session's own queue on
 * one broker: max_queued_messages and max_queued_bytes, QoS 0 with queue_qos0_messages, and what
 * it drops counted in the publishing node's {@code $SYS/broker/publish/messages/dropped}.
 */
class ClusterQueueLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ClusterNodes(dir, 2, "sys_interval 1", "max_queued_messages 3", "max_queued_bytes 20",
                "queue_qos0_messages true").start();
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

    private static long dropped(int node) throws Exception {
        String v = ClusterTest.mosquittoSubOne(cluster, node, "$SYS/broker/publish/messages/dropped");
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** Parks a persistent session subscribed to {@code filter} at QoS 1 from node 1. */
    private static void park(String clientId, String filter, long parkedBefore) throws Exception {
        Received sub = Received.connect(cluster.get(1), clientId, false);
        sub.client.subscribe(filter, 1);
        sub.close();
        OfflineStreamFault.awaitParked(cluster, 1, clientId, 2, parkedBefore + 1);
    }

    @Test
    void aParkedQueueTakesQos0AndKeepsNoMoreThanMaxQueuedMessages() throws Exception {
        park("lim-count", "lim/count", Math.max(0, OfflineStreamFault.parked(cluster, 2)));
        await().atMost(WAIT).until(() -> dropped(2) >= 0);
        long before = dropped(2);
        Received pub = Received.connect(cluster.get(2), "lim-pub", true);
        clients.add(pub);
        pub.publish("lim/count", "z0", 0, false);
        pub.publish("lim/count", "z1", 0, false);
        for (int i = 0; i < 3; i++) {
            pub.publish("lim/count", "q" + i, 1, false); // PUBACK once the cluster's queue answered
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> dropped(2) >= before + 2);

        Received back = Received.connect(cluster.get(2), "lim-count", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        await().atMost(WAIT).until(() -> back.payloadsOn("lim/count").size() >= 3);
        pub.publish("lim/count", "after", 1, false);
        await().atMost(WAIT).until(() -> back.payloadsOn("lim/count").contains("after"));
        // The first three, QoS 0 ones at QoS 0; the two over the limit were dropped and counted.
        assertThat(back.payloadsOn("lim/count")).containsExactly("z0", "z1", "q0", "after");
        assertThat(back.messages.stream().map(Received.Got::qos).toList()).containsExactly(0, 0, 1, 1);
        assertThat(dropped(2)).isEqualTo(before + 2);
    }

    @Test
    void aParkedQueueKeepsNoMoreThanMaxQueuedBytes() throws Exception {
        park("lim-bytes", "lim/bytes", Math.max(0, OfflineStreamFault.parked(cluster, 2)));
        await().atMost(WAIT).until(() -> dropped(2) >= 0);
        long before = dropped(2);
        Received pub = Received.connect(cluster.get(2), "lim-bytes-pub", true);
        clients.add(pub);
        for (int i = 0; i < 3; i++) {
            pub.publish("lim/bytes", "payload" + i, 1, false); // 8 bytes each: two fit in 20
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> dropped(2) >= before + 1);

        Received back = Received.connect(cluster.get(1), "lim-bytes", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        // Only once the two are delivered: while they wait in the resumed session's own queue (20
        // bytes here too), "after" would be over its limit and rightly dropped.
        await().atMost(WAIT).until(() -> back.payloadsOn("lim/bytes").size() >= 2);
        pub.publish("lim/bytes", "after", 1, false);
        await().atMost(WAIT).until(() -> back.payloadsOn("lim/bytes").contains("after"));
        assertThat(back.payloadsOn("lim/bytes")).containsExactly("payload0", "payload1", "after");
        assertThat(dropped(2)).isEqualTo(before + 1);
    }
}
