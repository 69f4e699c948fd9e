package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Courtier nodes as separate processes on loopback behave as one broker for Paho and
 * Debian's mosquitto_pub/mosquitto_sub: cross-node QoS 0/1/2 once and in order, retained messages
 * cluster-wide, one shared-subscription member across the cluster, client-id takeover across
 * nodes, a paused node rejoining with its subscriptions, and the wills of a killed node's clients
 * published by the survivors. One cluster serves every test, in order (the last one kills a node).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ClusterNodes(dir, 3, "sys_interval 1").start();
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

    private Received connect(int node, String clientId) throws Exception {
        Received r = Received.connect(cluster.get(node), clientId, true);
        clients.add(r);
        return r;
    }

    /**
     * Routes reach the other nodes a moment after SUBACK (README, "Cluster"): publishes a probe
     * from {@code publisher} until {@code subscriber} has one, so that what follows is routed.
     */
    private static void awaitRoute(Received publisher, String probeTopic, Received... subscribers) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            publisher.publish(probeTopic, "probe", 0, false);
            for (Received s : subscribers) {
                if (!s.payloads().contains("probe")) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    @Order(1)
    void qos012CrossNodesOnceAndInThePublishersOrder() throws Exception {
        Received sub = connect(2, "q-sub");
        sub.client.subscribe("q/#", 2);
        Received pub = connect(1, "q-pub");
        awaitRoute(pub, "q/probe", sub);

        for (int i = 0; i < 30; i++) {
            pub.publish("q/m", String.valueOf(i), i % 3, false);
        }
        await().atMost(WAIT).until(() -> sub.payloadsOn("q/m").size() >= 30);
        List<Received.Got> got = sub.messages.stream().filter(g -> g.topic().equals("q/m")).toList();
        assertThat(got).extracting(Received.Got::payload).hasSize(30).doesNotHaveDuplicates();
        for (int q = 0; q <= 2; q++) {
            int qos = q;
            // In order within each QoS (MQTT 4.6; Paho hands a QoS 2 message over only at PUBREL, so
            // the three streams interleave differently even from one broker), each at its own QoS.
            assertThat(got.stream().filter(g -> Integer.parseInt(g.payload()) % 3 == qos).toList())
                    .extracting(Received.Got::payload, Received.Got::qos)
                    .containsExactlyElementsOf(IntStream.range(0, 30).filter(i -> i % 3 == qos)
                            .mapToObj(i -> org.assertj.core.groups.Tuple.tuple(String.valueOf(i), qos)).toList());
        }
    }

    @Test
    @Order(2)
    void mosquittoClientsOnDifferentNodes() throws Exception {
        External.require("mosquitto_sub");
        Path out = dir.resolve("mosquitto_sub.out");
        Process sub = new ProcessBuilder(External.require("mosquitto_sub").toString(), "-p", String.valueOf(cluster.get(3).mqttPort),
                "-t", "m/#", "-q", "2", "-v", "-i", "m-sub").redirectOutput(out.toFile())
                .redirectErrorStream(true).start();
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                mosquittoPub(1, "-t", "m/probe", "-m", "probe", "-q", "0");
                return Files.readString(out).contains("m/probe probe");
            });
            for (int q = 0; q <= 2; q++) {
                mosquittoPub(1, "-t", "m/qos" + q, "-m", "from-n1", "-q", String.valueOf(q));
            }
            mosquittoPub(2, "-t", "m/qos2", "-m", "from-n2", "-q", "2");
            await().atMost(WAIT).until(() -> lines(out).stream().filter(l -> !l.startsWith("m/probe")).count() >= 4);
            assertThat(lines(out).stream().filter(l -> !l.startsWith("m/probe")).toList())
                    .containsExactly("m/qos0 from-n1", "m/qos1 from-n1", "m/qos2 from-n1", "m/qos2 from-n2");
        } finally {
            sub.destroy();
            sub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void mqtt5PropertiesSubscriptionIdentifiersAndDollarTopicsAsOnOneBroker() throws Exception {
        try (V5Received sub = V5Received.connect(cluster.get(2), "v5-sub");
             V5Received pub = V5Received.connect(cluster.get(1), "v5-pub")) {
            sub.subscribe("v5/#", 1, 7);
            sub.subscribe("v5/+/x", 0, 8);
            sub.subscribe("#", 0, 11);
            sub.subscribe("$dollar/#", 1, 9);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                pub.publish("v5/probe", "probe", 0, new org.eclipse.paho.mqttv5.common.packet.MqttProperties());
                return !sub.on("v5/probe").isEmpty();
            });
            org.eclipse.paho.mqttv5.common.packet.MqttProperties p =
                    new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
            p.setContentType("text/plain");
            p.setResponseTopic("v5/replies");
            p.setCorrelationData(new byte[] {1, 2, 3});
            p.setUserProperties(List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("room", "kitchen")));
            pub.publish("v5/a/x", "hello", 1, p);
            pub.publish("$dollar/t", "dollar", 1, new org.eclipse.paho.mqttv5.common.packet.MqttProperties());
            await().atMost(WAIT).until(() -> !sub.on("v5/a/x").isEmpty() && !sub.on("$dollar/t").isEmpty());

            // One delivery for the three matching subscriptions, at the highest QoS, with all their ids.
            assertThat(sub.on("v5/a/x")).hasSize(1);
            org.eclipse.paho.mqttv5.common.MqttMessage m = sub.on("v5/a/x").get(0).message();
            assertThat(m.getQos()).isEqualTo(1);
            assertThat(m.getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(7, 8, 11);
            assertThat(m.getProperties().getContentType()).isEqualTo("text/plain");
            assertThat(m.getProperties().getResponseTopic()).isEqualTo("v5/replies");
            assertThat(m.getProperties().getCorrelationData()).containsExactly(1, 2, 3);
            assertThat(m.getProperties().getUserProperties())
                    .containsExactly(new org.eclipse.paho.mqttv5.common.packet.UserProperty("room", "kitchen"));
            // "#" does not match a topic starting with $ [MQTT-4.7.2-1]: only the $dollar/# id.
            assertThat(sub.on("$dollar/t")).hasSize(1);
            assertThat(sub.on("$dollar/t").get(0).message().getProperties().getSubscriptionIdentifiers())
                    .containsExactly(9);
        }
    }

    @Test
    @Order(4)
    void aMessageGoesOnlyToNodesWithAMatchingSubscriberAndSysSaysSo() throws Exception {
        Received sub = connect(2, "only-sub");
        sub.client.subscribe("only/#", 1);
        Received pub = connect(1, "only-pub");
        awaitRoute(pub, "only/probe", sub);
        long n3Before = Long.parseLong(mosquittoSubOne(3, "$SYS/broker/cluster/messages/received"));
        long n2Before = Long.parseLong(mosquittoSubOne(2, "$SYS/broker/cluster/messages/received"));
        for (int i = 0; i < 10; i++) {
            pub.publish("only/m", "o" + i, 1, false);
        }
        await().atMost(WAIT).until(() -> sub.payloadsOn("only/m").size() == 10);
        // Node 2's counter shows the ten (so the $SYS values are fresh); node 3's has not moved.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
                Long.parseLong(mosquittoSubOne(2, "$SYS/broker/cluster/messages/received")) >= n2Before + 10);
        assertThat(Long.parseLong(mosquittoSubOne(3, "$SYS/broker/cluster/messages/received"))).isEqualTo(n3Before);
        assertThat(mosquittoSubOne(3, "$SYS/broker/cluster/node")).isEqualTo("n3");
        assertThat(mosquittoSubOne(3, "$SYS/broker/cluster/nodes")).isEqualTo("3");
        assertThat(mosquittoSubOne(3, "$SYS/broker/cluster/state")).isEqualTo("joined");

        // The console's JSON API and /metrics say the same.
        String overview = http(3, "/api/overview");
        assertThat(overview).contains("\"cluster\":{\"node\":\"n3\",\"nodes\":[")
                .contains("\"name\":\"n1\"", "\"name\":\"n2\"", "\"local\":true");
        assertThat(http(3, "/metrics")).contains("courtier_cluster_nodes 3.0")
                .containsPattern("courtier_cluster_messages_received_total " + n3Before + "\\.0");
    }

    private static String http(int node, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cluster.get(node).httpPort
                        + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    @Order(5)
    void retainedOnOneNodeReachesANewSubscriberOnAnother() throws Exception {
        mosquittoPub(1, "-t", "r/one", "-m", "first", "-q", "1", "-r");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> mosquittoSubOne(3, "r/one").equals("first"));
        mosquittoPub(2, "-t", "r/one", "-m", "second", "-q", "1", "-r");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> mosquittoSubOne(3, "r/one").equals("second") && mosquittoSubOne(1, "r/one").equals("second"));
    }

    @Test
    @Order(6)
    void aSharedSubscriptionDeliversEachMessageToOneMemberAcrossTheCluster() throws Exception {
        List<Received> members = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Received m = connect(n, "share-" + n);
            m.client.subscribe("$share/g/sh/#", 1);
            members.add(m);
        }
        Received pub = connect(1, "share-pub");
        // Each member has had a probe: every node's member is in the group on node 1.
        awaitRoute(pub, "sh/probe", members.toArray(new Received[0]));
        for (Received m : members) {
            m.messages.clear();
        }
        for (int i = 0; i < 30; i++) {
            pub.publish("sh/m", "s" + i, 1, false);
        }
        await().atMost(WAIT).until(() -> members.stream().mapToInt(m -> m.payloadsOn("sh/m").size()).sum() >= 30);
        List<String> all = new ArrayList<>();
        members.forEach(m -> all.addAll(m.payloadsOn("sh/m")));
        assertThat(all).hasSize(30).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(Set.copyOf(IntStream.range(0, 30).mapToObj(i -> "s" + i).toList()));
        assertThat(members).allSatisfy(m -> assertThat(m.payloadsOn("sh/m")).isNotEmpty());
    }

    @Test
    @Order(7)
    void aClientIdConnectedOnAnotherNodeIsTakenOver() throws Exception {
        Received first = connect(1, "same-id");
        Received second = connect(3, "same-id");
        await().atMost(WAIT).until(() -> first.lost != null);
        assertThat(second.client.isConnected()).isTrue();
        assertThat(cluster.get(1).log()).contains("Client same-id connected to cluster node n3: its connection here is "
                + "taken over.");
    }

    @Test
    @Order(8)
    void aClientMayNotTakeTheIdOfANode() {
        org.eclipse.paho.client.mqttv3.MqttException refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class, () -> connect(1, "$cluster/n2"));
        assertThat(refused.getReasonCode())
                .isEqualTo(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_INVALID_CLIENT_ID);
    }

    /** The port after the cluster port carries forwarded messages, from the cluster's own nodes only. */
    @Test
    @Order(8)
    void aStrangerMayNotOpenAMessageLinkToANode() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", cluster.get(1).clusterPort + 1)) {
            socket.setSoTimeout(30_000);
            byte[] hello = "test\nintruder".getBytes(StandardCharsets.UTF_8);
            java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
            out.writeInt(hello.length);
            out.write(hello);
            out.flush();
            assertThat(socket.getInputStream().read()).as("the node closes the link").isEqualTo(-1);
        }
        assertThat(cluster.get(1).log()).contains("Cluster: refused a message link from 127.0.0.1: not a node of "
                + "cluster test at that address.");
    }

    private static long parked(int node) throws Exception {
        return OfflineStreamFault.parked(cluster, node);
    }

    private static void awaitParked(int parkingNode, String client, int node, long count) {
        OfflineStreamFault.awaitParked(cluster, parkingNode, client, node, count);
    }

    @Test
    @Order(11)
    void aPersistentSessionMovesToAnotherNodeWithItsQueuedMessagesExactlyOnce() throws Exception {
        long before = parked(2);
        Received sub = Received.connect(cluster.get(1), "mover", false);
        sub.client.subscribe("mv/#", 2);
        sub.close();
        awaitParked(1, "mover", 2, before + 1);

        Received pub = connect(2, "mover-pub");
        for (int i = 0; i < 20; i++) {
            pub.publish("mv/m", "m" + i, 1 + i % 2, false); // QoS 1 and 2, each acknowledged once parked
        }
        Received back = Received.connect(cluster.get(3), "mover", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        await().atMost(WAIT).until(() -> back.payloadsOn("mv/m").size() >= 20);
        // Its subscription came with it: what is published at once reaches it, by node 3's route or,
        // before that route reaches node 2, through the parked copy node 2 still routes to.
        pub.publish("mv/after", "after", 2, false);
        await().atMost(WAIT).until(() -> back.payloads().contains("after"));
        List<Received.Got> got = back.messages.stream().filter(g -> g.topic().equals("mv/m")).toList();
        assertThat(got).extracting(Received.Got::payload).hasSize(20).doesNotHaveDuplicates();
        for (int q = 1; q <= 2; q++) {
            int qos = q;
            assertThat(got.stream().filter(g -> g.qos() == qos).map(Received.Got::payload).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 20).filter(i -> 1 + i % 2 == qos)
                            .mapToObj(i -> "m" + i).toList());
        }
        assertThat(cluster.get(3).log()).contains("Client mover resumed its session from the cluster: 1 "
                + "subscription(s), 20 message(s).");
    }

    @Test
    @Order(12)
    void anMqtt5SessionMovesWithinItsExpiryAndIsGoneAfterIt() throws Exception {
        long before = parked(2);
        try (V5Received keep = V5Received.connect(cluster.get(1), "v5-mover", false, 600)) {
            keep.subscribe("v5mv/#", 2, 5);
        }
        try (V5Received brief = V5Received.connect(cluster.get(1), "v5-brief", false, 2)) {
            brief.subscribe("v5mv/#", 1, 6);
        }
        awaitParked(1, "v5-mover", 2, before + 2);
        awaitParked(1, "v5-brief", 2, before + 2);
        try (V5Received pub = V5Received.connect(cluster.get(2), "v5-mover-pub")) {
            for (int i = 0; i < 10; i++) {
                pub.publish("v5mv/m", "v" + i, 1 + i % 2, new org.eclipse.paho.mqttv5.common.packet.MqttProperties());
            }
        }
        // Two seconds after its client left, whichever node owns the brief session's entry ends it.
        await().atMost(WAIT).until(() -> (cluster.get(1).log() + cluster.get(2).log() + cluster.get(3).log())
                .contains("Client v5-brief session expired (parked in the cluster)."));
        try (V5Received back = V5Received.connect(cluster.get(3), "v5-mover", false, 600);
             V5Received gone = V5Received.connect(cluster.get(3), "v5-brief", false, 600)) {
            assertThat(back.sessionPresent).isTrue();
            assertThat(gone.sessionPresent).isFalse();
            await().atMost(WAIT).until(() -> back.on("v5mv/m").size() >= 10);
            assertThat(back.on("v5mv/m")).extracting(V5Received.Got::text).hasSize(10).doesNotHaveDuplicates();
            assertThat(back.on("v5mv/m")).allSatisfy(g ->
                    assertThat(g.message().getProperties().getSubscriptionIdentifiers()).containsExactly(5));
            assertThat(gone.messages).isEmpty();
        }
    }

    @Test
    @Order(13)
    void aTakeoverAcrossNodesKeepsThePersistentSession() throws Exception {
        Received first = Received.connect(cluster.get(1), "keeper", false);
        clients.add(first);
        first.client.subscribe("kp/#", 1);
        Received second = Received.connect(cluster.get(2), "keeper", false);
        clients.add(second);
        assertThat(second.sessionPresent).isTrue();
        await().atMost(WAIT).until(() -> first.lost != null);
        Received pub = connect(3, "keeper-pub");
        awaitRoute(pub, "kp/probe", second); // the subscription it made on node 1
        pub.publish("kp/x", "x", 1, false);
        await().atMost(WAIT).until(() -> second.payloads().contains("x"));
    }

    /**
     * A persistent MQTT 5 session whose connection is lost on one node keeps its Will Delay
     * Interval when it is parked: the will reaches another node's subscriber no sooner than the
     * delay, and never for a client that resumes its session on a third node within it
     * [MQTT-3.1.3-9].
     */
    @Test
    @Order(14)
    void aParkedSessionsWillWaitsForItsDelayAndAResumeCancelsIt() throws Exception {
        Received watcher = connect(2, "pw-watcher");
        watcher.client.subscribe("pw/#", 1);
        Received prober = connect(1, "pw-prober");
        awaitRoute(prober, "pw/probe", watcher);
        long delay = 3;
        V5Received leaving = V5Received.connect(cluster.get(1), "pw-leaving",
                V5Received.resuming(60, "pw/leaving", delay));
        V5Received returning = V5Received.connect(cluster.get(1), "pw-returning",
                V5Received.resuming(60, "pw/returning", delay));
        long lost = System.nanoTime();
        leaving.client.disconnectForcibly(0, 1000, false); // no DISCONNECT: the connection is lost
        returning.client.disconnectForcibly(0, 1000, false);
        await().atMost(WAIT).until(() -> cluster.get(1).log().contains("Client pw-returning's session is parked"));
        try (V5Received back = V5Received.connect(cluster.get(3), "pw-returning", V5Received.resuming(60, null, 0))) {
            assertThat(back.sessionPresent).isTrue();
            await().atMost(WAIT).until(() -> watcher.payloadsOn("pw/leaving").contains("late"));
            assertThat(System.nanoTime() - lost).as("the will waited for its delay")
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(delay));
            // Held since the same moment as the one that came: it would be here by now.
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> watcher.payloadsOn("pw/returning").isEmpty());
        } finally {
            leaving.client.close(true);
            returning.client.close(true);
        }
    }

    /**
     * A partition and its heal (README "Network partitions"): node 2 is paused past the failure
     * detection while retained messages change on both sides, then resumed. After the merge every
     * node has the newest value of a topic set on both sides, the topics set on one side only, and
     * not a topic the majority cleared meanwhile; subscriptions on both sides still get messages.
     */
    @Test
    @Order(9)
    void aPartitionHealsWithTheNewestRetainedMessagesAndEverySubscription() throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setKeepAliveInterval(300); // the clients of the paused node wait out the pause
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(30);
        Received sub = Received.connect(cluster.get(2), "paused-sub", o);
        clients.add(sub);
        sub.client.subscribe("p/#", 1);
        Received minorityPub = Received.connect(cluster.get(2), "paused-pub", o);
        clients.add(minorityPub);
        Received majoritySub = connect(3, "majority-sub");
        majoritySub.client.subscribe("p/#", 1);
        Received pub = connect(1, "majority-pub");
        awaitRoute(pub, "p/probe", sub, majoritySub);
        pub.publish("part/both", "before", 1, true);
        pub.publish("part/cleared", "old", 1, true);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() ->
                mosquittoSubOne(2, "part/cleared").equals("old") && mosquittoSubOne(2, "part/both").equals("before"));

        cluster.get(2).signal("STOP");
        try {
            await().atMost(WAIT).until(() -> cluster.get(1).log().contains("node n2 at")
                    && cluster.get(3).log().contains("node n2 at"));
            // The majority side: a new value, a topic of its own, and a clear.
            mosquittoPub(1, "-t", "part/both", "-m", "majority", "-q", "1", "-r");
            mosquittoPub(3, "-t", "part/majority-only", "-m", "m", "-q", "1", "-r");
            mosquittoPub(1, "-t", "part/cleared", "-n", "-q", "1", "-r");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() ->
                    mosquittoSubOne(3, "part/both").equals("majority") && mosquittoSubOne(3, "part/cleared").isEmpty());
            // The paused side, later: its node reads these as soon as it runs again.
            minorityPub.publish("part/both", "minority", 0, true);
            minorityPub.publish("part/minority-only", "n", 0, true);
        } finally {
            cluster.get(2).signal("CONT");
        }
        await().atMost(WAIT).until(() -> cluster.get(2).log().contains("merged back into the cluster"));
        cluster.awaitFormed(3);

        for (int node = 1; node <= 3; node++) {
            int n = node;
            // Usually seconds; a node that merged back may wait for Hazelcast's 30 s re-synchronisation.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(mosquittoSubOne(n, "part/both")).as("newest on node %d", n).isEqualTo("minority");
                assertThat(mosquittoSubOne(n, "part/majority-only")).as("node %d", n).isEqualTo("m");
                assertThat(mosquittoSubOne(n, "part/minority-only")).as("node %d", n).isEqualTo("n");
                assertThat(mosquittoSubOne(n, "part/cleared")).as("cleared on node %d", n).isEmpty();
            });
        }

        sub.messages.clear();
        majoritySub.messages.clear();
        awaitRoute(pub, "p/probe", sub, majoritySub);
        pub.publish("p/after", "after", 1, false);
        minorityPub.publish("p/from-minority", "from-n2", 1, false);
        await().atMost(WAIT).until(() -> sub.payloads().contains("after") && majoritySub.payloads().contains("after")
                && majoritySub.payloads().contains("from-n2"));
    }

    /**
     * Issue 19's fault: a QoS 1 stream from node 1 to offline persistent subscribers whose sessions
     * lived on node 2, killed mid-stream; reconnected to node 3 they get every message the
     * publisher had a PUBACK for.
     */
    @Test
    @Order(30)
    void killingTheNodeOfOfflineSessionsMidStreamLosesNoAcknowledgedMessage() throws Exception {
        OfflineStreamFault.run(cluster, clients, parked(1));
    }

    /**
     * A killed node's clients' wills: published by a survivor at once, or, with an MQTT 5 Will
     * Delay Interval, not before the delay has passed and not at all for a client that resumes
     * its session on another node within the delay [MQTT-3.1.3-9].
     */
    @Test
    @Order(40)
    void theWillsOfAKilledNodesClientsArePublishedBySurvivorsAfterTheirDelay() throws Exception {
        Received watcher = connect(1, "will-watcher");
        watcher.client.subscribe("w/#", 1);
        Received prober = connect(3, "will-prober");
        awaitRoute(prober, "w/probe", watcher);

        MqttConnectOptions o = new MqttConnectOptions();
        o.setWill("w/dying", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        o.setAutomaticReconnect(false);
        Received dying = Received.connect(cluster.get(3), "dying", o);
        clients.add(dying);
        long delay = 5;
        V5Received delayed = V5Received.connect(cluster.get(3), "delayed", V5Received.resuming(60, "w/delayed", delay));
        V5Received returning = V5Received.connect(cluster.get(3), "returning",
                V5Received.resuming(60, "w/returning", delay));
        await().atMost(WAIT).until(() -> cluster.get(3).log().contains("as returning"));
        // A persistent session online at node 3: its subscriptions outlive the node.
        MqttConnectOptions p = new MqttConnectOptions();
        p.setCleanSession(false);
        p.setAutomaticReconnect(false);
        Received online = Received.connect(cluster.get(3), "online-at-n3", p);
        clients.add(online);
        online.client.subscribe("sv/#", 1);
        awaitRoute(watcher, "sv/probe", online);
        long parkedBefore = parked(1);

        cluster.get(3).process.destroyForcibly(); // kill -9
        long killed = System.nanoTime();
        await().atMost(WAIT).until(() -> watcher.payloadsOn("w/dying").contains("gone"));
        assertThat(watcher.payloadsOn("w/dying")).containsExactly("gone");
        assertThat(cluster.get(1).log() + cluster.get(2).log()).contains("Cluster node n3 left: published 1 will(s) "
                + "of its clients, 2 more after their will delay");
        // "returning" comes back to node 1 within its will delay, resuming its session: no will.
        try (V5Received back = V5Received.connect(cluster.get(1), "returning", V5Received.resuming(60, null, 0))) {
            await().atMost(WAIT).until(() -> watcher.payloadsOn("w/delayed").contains("late"));
            assertThat(System.nanoTime() - killed).as("the delayed will waited for its delay")
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(delay));
            // Scheduled at the same moment as the one that came: it would be here by now.
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> watcher.payloadsOn("w/returning").isEmpty());
        } finally {
            delayed.client.close(true);
            returning.client.close(true);
        }

        // Once the survivors park it, what is published reaches it, and its client resumes it on node 1.
        await().atMost(WAIT).until(() -> cluster.get(1).log().contains("Client online-at-n3's session was online "
                + "at node n3, which left: it is parked in the cluster."));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> parked(1) >= parkedBefore + 1);
        watcher.publish("sv/after", "after", 1, false);
        Received back = Received.connect(cluster.get(1), "online-at-n3", false);
        clients.add(back);
        assertThat(back.sessionPresent).isTrue();
        await().atMost(WAIT).until(() -> back.payloads().contains("after"));
    }

    private static void mosquittoPub(int node, String... args) throws Exception {
        External.require("mosquitto_pub");
        List<String> cmd = new ArrayList<>(List.of(External.require("mosquitto_pub").toString(), "-p",
                String.valueOf(cluster.get(node).mqttPort)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    /** The one message mosquitto_sub gets within 2 s on a node (a retained one), or "". */
    static String mosquittoSubOne(int node, String topic) throws Exception {
        return mosquittoSubOne(cluster, node, topic);
    }

    static String mosquittoSubOne(ClusterNodes cluster, int node, String topic) throws Exception {
        External.require("mosquitto_sub");
        Process p = new ProcessBuilder(External.require("mosquitto_sub").toString(), "-p", String.valueOf(cluster.get(node).mqttPort),
                "-t", topic, "-C", "1", "-W", "2").start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private static List<String> lines(Path out) throws Exception {
        return Files.readAllLines(out);
    }
}
