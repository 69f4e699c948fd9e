package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: with {@code persistence true} on every node, parked sessions outlive a restart of the
 * whole cluster (each node keeps its share of them on disk and puts it back once joined), and a
 * session a node restores from its own store at start-up (its client was connected there when it
 * stopped; its queue longer than the memory window) is resumable on any node.
 */
class ClusterRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        // A memory window of 20: a restored queue of 60 is mostly on disk only (paged).
        cluster = new ClusterNodes(dir, 3, "sys_interval 1", "persistence true", "max_queued_messages 0",
                "persistence_location " + dir.resolve("%n") + "/")
                .jvmOptions("-Dcourtier.tunable.memoryWindow=20").start();
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
    void parkedSessionsOutliveACleanStopOfEveryNode() throws Exception {
        parkedSessionsOutliveARestartOfEveryNode("TERM", "t");
    }

    @Test
    void parkedSessionsOutliveAKillOfEveryNode() throws Exception {
        parkedSessionsOutliveARestartOfEveryNode("KILL", "k");
    }

    /**
     * Three persistent subscribers (QoS 1, 2, 2) park from nodes 1, 2, 3; publishers on every
     * node send QoS 1 and 2 messages, each acknowledged; every node is stopped and started again;
     * each subscriber resumes on another node than the one it parked from and gets every message
     * once, each publisher's in order (per QoS, as MQTT orders them).
     */
    private void parkedSessionsOutliveARestartOfEveryNode(String signal, String tag) throws Exception {
        int[] qos = {1, 2, 2};
        for (int i = 1; i <= 3; i++) {
            Received s = Received.connect(cluster.get(i), tag + "-sub-" + i, false);
            s.client.subscribe(tag + "/#", qos[i - 1]);
            s.close();
        }
        for (int i = 1; i <= 3; i++) {
            String client = tag + "-sub-" + i;
            ClusterNodes.Node parker = cluster.get(i);
            await().atMost(WAIT).until(() -> parker.logSinceStart().contains("Client " + client
                    + "'s session is parked in the cluster"));
        }
        for (int i = 1; i <= 3; i++) {
            int node = i;
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> OfflineStreamFault.parked(cluster, node) >= 3);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Received pub = Received.connect(cluster.get(i), tag + "-pub-" + i, true);
            clients.add(pub);
            for (int m = 0; m < 20; m++) {
                int q = 1 + m % 2;
                String payload = "p" + i + "q" + q + "-" + m;
                pub.publish(tag + "/n" + i, payload, q, false); // returns once acknowledged
                expected.add(payload);
            }
            pub.close();
        }

        cluster.restartAll(signal);

        for (int i = 1; i <= 3; i++) {
            String client = tag + "-sub-" + i;
            Received back = Received.connect(cluster.get(i % 3 + 1), client, false); // another node
            clients.add(back);
            assertThat(back.sessionPresent).as(client + " session present").isTrue();
            await().atMost(WAIT).until(() -> back.payloads().size() >= expected.size());
            List<String> got = back.payloads();
            assertThat(got).as(client).containsExactlyInAnyOrderElementsOf(expected);
            // In order per publisher and QoS [MQTT-4.6.0-6] (Paho hands a QoS 2 message over at PUBREL).
            for (int p = 1; p <= 3; p++) {
                for (int q = 1; q <= 2; q++) {
                    String prefix = "p" + p + "q" + q + "-";
                    assertThat(got.stream().filter(x -> x.startsWith(prefix)).toList()).as(client + " order")
                            .isEqualTo(expected.stream().filter(x -> x.startsWith(prefix)).toList());
                }
            }
            back.close();
        }
    }

    /**
     * A persistent client on {@code node} subscribed to {@code prefix/#} at QoS 1 that never
     * acknowledges, so its messages stay in flight or queued on that node; returns once a probe
     * published by {@code pub} reached it (its route reaches other nodes a moment after SUBACK).
     */
    private static MqttClient neverAcknowledging(ClusterNodes.Node node, String clientId, String prefix, Received pub)
            throws Exception {
        MqttClient slow = new MqttClient(node.url(), clientId, new MemoryPersistence());
        slow.setManualAcks(true);
        AtomicInteger probes = new AtomicInteger();
        slow.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                probes.incrementAndGet();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        slow.connect(o);
        slow.subscribe(prefix + "/#", 1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            pub.publish(prefix + "/probe", "probe", 1, false);
            return probes.get() > 0;
        });
        return slow;
    }

    /**
     * Node 1 dies (kill -9) while a connected client that acknowledges nothing has 30 QoS 1
     * messages queued there; the survivors park its session from the cluster's copy of its
     * subscriptions and queue 10 more. When node 1 starts again, its stored 30 go ahead of those
     * 10, and the client resumes on node 3 with all 40 in order: with persistence true, an online
     * session's messages do not die with its node for good.
     */
    @Test
    void aDeadNodesStoredMessagesGoAheadOfThoseQueuedSinceWhenItComesBack() throws Exception {
        Received pub = Received.connect(cluster.get(2), "dead-pub", true);
        clients.add(pub);
        MqttClient slow = neverAcknowledging(cluster.get(1), "dead-sub", "d", pub);
        List<String> stored = IntStream.range(0, 30).mapToObj(i -> "d" + i).toList();
        for (String p : stored) {
            pub.publish("d/t", p, 1, false);
        }
        cluster.get(1).stop("KILL");
        try {
            slow.close(true);
        } catch (Exception e) {
            // its connection went with node 1
        }
        await().atMost(WAIT).until(() -> (cluster.get(2).logSinceStart() + cluster.get(3).logSinceStart())
                .contains("Client dead-sub's session was online at node"));
        List<String> since = IntStream.range(0, 10).mapToObj(i -> "a" + i).toList();
        for (String p : since) {
            pub.publish("d/t", p, 1, false); // PUBACK once the parked copy has it
        }

        cluster.get(1).start();
        cluster.awaitFormed(3);
        await().atMost(WAIT).until(() -> cluster.get(1).logSinceStart()
                .contains("Client dead-sub's restored session is parked in the cluster"));
        Received back = Received.connect(cluster.get(3), "dead-sub", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        List<String> expected = new ArrayList<>(stored);
        expected.addAll(since);
        await().atMost(WAIT).until(() -> back.payloadsOn("d/t").size() >= expected.size());
        assertThat(back.payloadsOn("d/t")).isEqualTo(expected);
    }

    /**
     * A client connected to node 1, acknowledging nothing, has 60 QoS 1 messages queued there
     * (most on disk only); every node stops: node 1 restores the session from its store, and the
     * client resumes it on node 3, with every message in order.
     */
    @Test
    void aSessionRestoredFromANodesStoreResumesOnAnotherNode() throws Exception {
        Received pub = Received.connect(cluster.get(2), "restored-pub", true);
        clients.add(pub);
        MqttClient slow = neverAcknowledging(cluster.get(1), "restored-sub", "r", pub);
        List<String> expected = IntStream.range(0, 60).mapToObj(i -> "r" + i).toList();
        for (String p : expected) {
            pub.publish("r/t", p, 1, false);
        }
        pub.close();

        cluster.restartAll("TERM");
        try {
            slow.close(true);
        } catch (Exception e) {
            // its connection went with node 1
        }

        await().atMost(WAIT).until(() -> cluster.get(1).logSinceStart()
                .contains("Client restored-sub's restored session is parked in the cluster"));
        Received back = Received.connect(cluster.get(3), "restored-sub", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        await().atMost(WAIT).until(() -> back.payloadsOn("r/t").size() >= expected.size());
        assertThat(back.payloadsOn("r/t")).isEqualTo(expected);
    }

    /**
     * Node 3 keeps a share of a parked session on disk and is killed; meanwhile the client
     * connects to node 1 with a clean session, which ends the parked one: when node 3 comes back,
     * its stale share does not bring the session back.
     */
    @Test
    void aShareOfASessionEndedWhileItsNodeWasDownDoesNotComeBack() throws Exception {
        Received s = Received.connect(cluster.get(3), "ended-sub", false);
        s.client.subscribe("e/#", 1);
        s.close();
        await().atMost(WAIT).until(() -> cluster.get(3).logSinceStart()
                .contains("Client ended-sub's session is parked in the cluster"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> OfflineStreamFault.parked(cluster, 3) >= 1);
        Received pub = Received.connect(cluster.get(3), "ended-pub", true);
        for (int i = 0; i < 5; i++) {
            pub.publish("e/t", "e" + i, 1, false);
        }
        pub.close();
        cluster.get(3).stop("KILL");
        cluster.awaitFormed(2);
        long parkedBefore = OfflineStreamFault.parked(cluster, 1);
        Received clean = Received.connect(cluster.get(1), "ended-sub", true); // ends its parked session
        clean.close();
        // Until the cluster's copy is gone (the take collects late messages for a few seconds).
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> OfflineStreamFault.parked(cluster, 1) == parkedBefore - 1);

        cluster.get(3).start();
        cluster.awaitFormed(3);
        await().atMost(WAIT).until(() -> cluster.get(3).logSinceStart().contains("this node's disk kept a share"));
        Received back = Received.connect(cluster.get(2), "ended-sub", false);
        clients.add(back);
        assertThat(back.sessionPresent).isFalse();
    }
}
