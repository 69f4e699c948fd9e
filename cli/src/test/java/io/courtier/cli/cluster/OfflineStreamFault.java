package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 19's fault test, for a cluster with or without persistence: twelve persistent
 * subscribers park their sessions from node 2 (so that, with three nodes, one is all but sure to
 * have had its queue's primary copy there); a publisher on node 1 streams QoS 1 to them; node 2 is
 * killed (SIGKILL) mid-stream; each subscriber reconnects to node 3 and gets every message the
 * publisher had a PUBACK for (duplicates are allowed at QoS 1).
 */
final class OfflineStreamFault {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SUBSCRIBERS = 12;

    private OfflineStreamFault() {
    }

    static void run(ClusterNodes cluster, List<Received> clients, long parkedBefore) throws Exception {
        for (int i = 0; i < SUBSCRIBERS; i++) {
            Received s = Received.connect(cluster.get(2), "kill-sub-" + i, false);
            s.client.subscribe("k/#", 1);
            s.close();
        }
        for (int i = 0; i < SUBSCRIBERS; i++) {
            awaitParked(cluster, 2, "kill-sub-" + i, 1, parkedBefore + SUBSCRIBERS);
        }
        Received pub = Received.connect(cluster.get(1), "kill-pub", true);
        clients.add(pub);
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread stream = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    pub.publish("k/s", String.valueOf(i), 1, false); // returns at PUBACK
                    acked.add(String.valueOf(i));
                } catch (Exception e) {
                    return;
                }
            }
        });
        stream.start();
        await().atMost(WAIT).until(() -> acked.size() >= 100);
        cluster.get(2).process.destroyForcibly(); // kill -9
        int atKill = acked.size();
        await().atMost(WAIT).until(() -> acked.size() >= atKill + 200);
        stop.set(true);
        stream.join(30_000);
        for (int i = 0; i < SUBSCRIBERS; i++) {
            Received back = Received.connect(cluster.get(3), "kill-sub-" + i, false);
            clients.add(back);
            assertThat(back.sessionPresent).as("kill-sub-" + i).isTrue();
            await().atMost(WAIT).until(() -> new HashSet<>(back.payloadsOn("k/s")).containsAll(acked));
        }
    }

    /** The parked sessions node {@code node} routes to, as its $SYS says (-1 before it says). */
    static long parked(ClusterNodes cluster, int node) throws Exception {
        String v = ClusterTest.mosquittoSubOne(cluster, node, "$SYS/broker/cluster/sessions/parked");
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** Waits until {@code client}'s session is parked, and node {@code node} routes to at least {@code count}. */
    static void awaitParked(ClusterNodes cluster, int parkingNode, String client, int node, long count) {
        await().atMost(WAIT).until(() -> cluster.get(parkingNode).log().contains("Client " + client
                + "'s session is parked in the cluster"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> parked(cluster, node) >= count);
    }
}
