package io.courtier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.codec.Connack;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Pingreq;
import io.courtier.codec.Pingresp;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.courtier.codec.Suback;
import io.courtier.codec.Unsuback;
import io.courtier.codec.Will;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.Paho;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client library against two brokers nobody here wrote the client side of: Courtier (port 0)
 * and Debian's mosquitto; the other end of every exchange is Eclipse Paho.
 */
class MqttClientTest {

    private static Broker courtier;
    private static MosquittoBroker mosquitto;
    private static final AtomicInteger N = new AtomicInteger();

    @BeforeAll
    static void start() {
        courtier = Broker.start(BrokerConfig.builder().listener(0).allowAnonymous(true).build(), "test");
        mosquitto = MosquittoBroker.inTempDir();
    }

    @AfterAll
    static void stop() {
        courtier.close();
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private static int port(String broker) {
        return broker.equals("courtier") ? courtier.port() : mosquitto.port();
    }

    private static String id() {
        return "client-test-" + N.incrementAndGet();
    }

    private static MqttClientOptions.Builder options(int port) {
        return MqttClientOptions.builder().host("127.0.0.1").port(port).clientId(id());
    }

    private static String text(Publish p) {
        return p.payload().toString(StandardCharsets.UTF_8);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"courtier", "mosquitto"})
    void publishesAtEveryQosToPaho(String broker) throws Exception {
        int port = port(broker);
        String t = "lib/" + N.incrementAndGet();
        try (Paho.Peer paho = Paho.peer(port, id()).subscribe(t + "/#", 2);
             MqttClient client = new MqttClient(options(port).build())) {
            Connack connack = get(client.connect());
            assertThat(connack.reasonCode()).isZero();
            for (int qos = 0; qos <= 2; qos++) {
                get(client.publish(t + "/" + qos, ("at qos " + qos).getBytes(StandardCharsets.UTF_8), qos, false));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> paho.received().size() == 3);
            assertThat(paho.received()).containsExactly(
                    new Paho.Received(t + "/0", "at qos 0", 0, false, false),
                    new Paho.Received(t + "/1", "at qos 1", 1, false, false),
                    new Paho.Received(t + "/2", "at qos 2", 2, false, false));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"courtier", "mosquitto"})
    void receivesAtEveryQosFromPaho(String broker) throws Exception {
        int port = port(broker);
        String t = "lib/" + N.incrementAndGet();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Paho.Peer paho = Paho.peer(port, id());
             MqttClient client = new MqttClient(options(port).build())) {
            client.onMessage(p -> got.add(p.topic() + " " + p.qos() + " " + text(p)));
            get(client.connect());
            Suback suback = get(client.subscribe(t + "/#", 2));
            assertThat(suback.reasonCodes()).containsExactly(2);
            for (int qos = 0; qos <= 2; qos++) {
                paho.publish(t + "/" + qos, "from paho " + qos, qos, false);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
            assertThat(got).containsExactly(t + "/0 0 from paho 0", t + "/1 1 from paho 1", t + "/2 2 from paho 2");
            Unsuback unsuback = get(client.unsubscribe(List.of(t + "/#"), Properties.NONE));
            assertThat(unsuback.packetId()).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V3_1", "V3_1_1", "V5"})
    void connectsWithEachProtocolVersionToMosquitto(String version) throws Exception {
        MqttVersion v = MqttVersion.valueOf(version);
        String t = "lib/" + N.incrementAndGet();
        List<String> got = new CopyOnWriteArrayList<>();
        try (MqttClient client = new MqttClient(options(mosquitto.port()).version(v).build());
             Paho.Peer paho = Paho.peer(mosquitto.port(), id())) {
            client.onMessage(p -> got.add(text(p)));
            assertThat(get(client.connect()).reasonCode()).isZero();
            get(client.subscribe(t, 1));
            paho.publish(t, "hello " + version, 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
            assertThat(got).containsExactly("hello " + version);
        }
    }

    @Test
    void mqtt5AssignsAClientIdentifier() throws Exception {
        try (MqttClient client = new MqttClient(options(mosquitto.port()).clientId("").version(MqttVersion.V5).build())) {
            get(client.connect());
            assertThat(client.clientId()).startsWith("auto-");
        }
    }

    @Test
    void theInflightWindowBoundsUnacknowledgedMessagesAndKeepsOrder() throws Exception {
        String t = "lib/" + N.incrementAndGet();
        int count = 500;
        AtomicInteger maxInflight = new AtomicInteger();
        MqttClient[] self = new MqttClient[1];
        PacketListener watch = new PacketListener() {
            @Override
            public void sending(MqttPacket p) {
                if (p instanceof Publish) {
                    maxInflight.accumulateAndGet(self[0].inflightCount(), Math::max);
                }
            }
        };
        try (Paho.Peer paho = Paho.peer(courtier.port(), id()).subscribe(t, 1);
             MqttClient client = new MqttClient(options(courtier.port()).maxInflight(3).packetListener(watch).build())) {
            self[0] = client;
            get(client.connect());
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(client.publish(t, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false));
            }
            get(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
            await().atMost(Duration.ofSeconds(10)).until(() -> paho.received().size() == count);
            assertThat(paho.received().stream().map(Paho.Received::payload).toList())
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "m" + i).toList());
            // Counted as each PUBLISH is written, itself included: never more than the window of 3.
            assertThat(maxInflight.get()).isEqualTo(3);
        }
    }

    @Test
    void keepaliveSendsPingreqAndGetsPingresp() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        PacketListener watch = new PacketListener() {
            @Override
            public void sending(MqttPacket p) {
                if (p instanceof Pingreq) {
                    seen.add("PINGREQ");
                }
            }

            @Override
            public void received(MqttPacket p) {
                if (p instanceof Pingresp) {
                    seen.add("PINGRESP");
                }
            }
        };
        try (MqttClient client = new MqttClient(options(courtier.port()).keepAlive(1).packetListener(watch).build())) {
            get(client.connect());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
            assertThat(seen.subList(0, 2)).containsExactly("PINGREQ", "PINGRESP");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"courtier", "mosquitto"})
    void theWillIsSentWhenTheConnectionDropsButNotAfterDisconnect(String broker) throws Exception {
        int port = port(broker);
        String t = "lib/" + N.incrementAndGet();
        Will will = new Will(t, "gone".getBytes(StandardCharsets.UTF_8), 1, false, Properties.NONE);
        try (Paho.Peer paho = Paho.peer(port, id()).subscribe(t, 1)) {
            MqttClient polite = new MqttClient(options(port).will(will).build());
            get(polite.connect());
            get(polite.disconnect());
            polite.close();
            MqttClient crashing = new MqttClient(options(port).will(will).build());
            get(crashing.connect());
            get(crashing.dropConnection());
            crashing.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> paho.received().size() == 1);
            assertThat(paho.received()).containsExactly(new Paho.Received(t, "gone", 1, false, false));
        }
    }

    @Test
    void aRefusedConnectionFailsWithTheConnackCode() throws Exception {
        try (MosquittoBroker closed = MosquittoBroker.inTempDir("allow_anonymous false")) {
            for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
                try (MqttClient client = new MqttClient(options(closed.port()).version(v).build())) {
                    assertThatThrownBy(() -> get(client.connect()))
                            .isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(MqttConnectException.class)
                            .satisfies(e -> assertThat(((MqttConnectException) e).reasonCode())
                                    .isEqualTo(v == MqttVersion.V5 ? 0x87 : 5));
                }
            }
        }
    }

    @Test
    void reconnectsAndResumesItsSessionAfterTheBrokerRestarts(@TempDir Path dir) throws Exception {
        try (MosquittoBroker durable = MosquittoBroker.start(dir, "persistence true", "persistence_location " + dir + "/")) {
            String t = "lib/" + N.incrementAndGet();
            List<String> got = new CopyOnWriteArrayList<>();
            List<Boolean> sessions = new CopyOnWriteArrayList<>();
            MqttClientOptions o = options(durable.port()).cleanStart(false).autoReconnect(true)
                    .reconnectDelayMillis(100).build();
            try (MqttClient client = new MqttClient(o)) {
                client.onMessage(p -> got.add(text(p))).onConnected(c -> sessions.add(c.sessionPresent()));
                get(client.connect());
                get(client.subscribe(t, 1));
                durable.restart();
                // Sent while the broker is away or the client not yet back: waits, then goes.
                CompletableFuture<Void> queued = client.publish(t + "/retained",
                        "kept".getBytes(StandardCharsets.UTF_8), 1, true);
                await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 2);
                assertThat(sessions).containsExactly(false, true);
                get(queued);
                // No new SUBSCRIBE: the broker kept the subscription with the session.
                try (Paho.Peer paho = Paho.peer(durable.port(), id())) {
                    paho.publish(t, "after restart", 1, false);
                    paho.subscribe(t + "/retained", 1);
                    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1 && paho.received().size() == 1);
                    assertThat(got).containsExactly("after restart");
                    assertThat(paho.received().get(0).payload()).isEqualTo("kept");
                }
            }
        }
    }

    @Test
    void webSocketTransport() throws Exception {
        int wsPort = External.freePort();
        try (MosquittoBroker ws = MosquittoBroker.inTempDir("listener " + wsPort + " 127.0.0.1", "protocol websockets")) {
            ws.awaitListening(wsPort);
            String t = "lib/" + N.incrementAndGet();
            List<String> got = new CopyOnWriteArrayList<>();
            MqttClientOptions o = options(wsPort).webSocketPath("/mqtt").build();
            try (MqttClient client = new MqttClient(o); Paho.Peer paho = Paho.peer(ws.port(), id()).subscribe(t + "/out", 1)) {
                client.onMessage(p -> got.add(text(p)));
                get(client.connect());
                get(client.subscribe(t + "/in", 2));
                byte[] big = new byte[100_000];
                java.util.Arrays.fill(big, (byte) 'x');
                get(client.publish(t + "/out", "over websocket".getBytes(StandardCharsets.UTF_8), 1, false));
                paho.publish(t + "/in", "to websocket", 2, false);
                paho.publish(t + "/in", new String(big, StandardCharsets.US_ASCII), 1, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2 && paho.received().size() == 1);
                // QoS 2 reaches the handler at PUBREL, so the QoS 1 message may come first.
                assertThat(got).anySatisfy(m -> assertThat(m).isEqualTo("to websocket"))
                        .anySatisfy(m -> assertThat(m).hasSize(100_000).matches("x+"));
                assertThat(paho.received().get(0).payload()).isEqualTo("over websocket");
            }
        }
    }

    @Test
    void payloadsAreReleased() throws Exception {
        // Paranoid leak detection is on in surefire: a leaked payload would be reported in the log;
        // here the handler sees the payload bytes intact while they are valid.
        String t = "lib/" + N.incrementAndGet();
        List<String> got = new CopyOnWriteArrayList<>();
        try (MqttClient client = new MqttClient(options(courtier.port()).build());
             Paho.Peer paho = Paho.peer(courtier.port(), id())) {
            client.onMessage(p -> got.add(ByteBufUtil.hexDump(p.payload())));
            get(client.connect());
            get(client.subscribe(t, 2));
            paho.publish(t, "AB", 2, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
            assertThat(got).containsExactly("4142");
        }
    }

    @Test
    void topicAliasesFromTheBrokerAreResolved() throws Exception {
        // Courtier sets outbound aliases when the client announces a Topic Alias Maximum.
        String t = "lib/" + N.incrementAndGet() + "/aliased";
        List<String> got = new CopyOnWriteArrayList<>();
        List<Integer> aliases = new CopyOnWriteArrayList<>();
        PacketListener watch = new PacketListener() {
            @Override
            public void received(MqttPacket p) {
                if (p instanceof Publish m && m.properties().contains(io.courtier.codec.PropertyId.TOPIC_ALIAS)) {
                    aliases.add(m.properties().integer(io.courtier.codec.PropertyId.TOPIC_ALIAS));
                }
            }
        };
        Properties announce = Properties.builder().add(io.courtier.codec.PropertyId.TOPIC_ALIAS_MAXIMUM, 10).build();
        try (MqttClient client = new MqttClient(options(courtier.port()).version(MqttVersion.V5)
                .connectProperties(announce).packetListener(watch).build());
             Paho.Peer paho = Paho.peer(courtier.port(), id())) {
            client.onMessage(p -> got.add(p.topic() + " " + text(p)));
            get(client.connect());
            get(client.subscribe(t, 1));
            for (int i = 0; i < 3; i++) {
                paho.publish(t, "m" + i, 1, false);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
            assertThat(got).containsExactly(t + " m0", t + " m1", t + " m2");
            assertThat(aliases).hasSize(3);
        }
    }
}
