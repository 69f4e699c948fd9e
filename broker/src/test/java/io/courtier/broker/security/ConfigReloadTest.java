package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Broker#reload(io.courtier.broker.config.ParsedConfig)}, what SIGHUP runs when the broker
 * was started with {@code -c}: {@code mosquitto.conf} itself is read again, as Mosquitto 2.0.11
 * does (checked side by side: flipping {@code allow_anonymous} and sending SIGHUP lets anonymous
 * clients in; adding a listener is refused and nothing changes).
 */
class ConfigReloadTest {

    @TempDir
    Path dir;

    private Broker start(Path conf) throws Exception {
        return Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    private static boolean reload(Broker broker, Path conf) throws Exception {
        return broker.reload(ConfigParser.parse(conf));
    }

    private static String uri(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    @Test
    void allowAnonymousAndMaxKeepaliveChangeForNewClientsAndOpenOnesStay() throws Exception {
        Path conf = dir.resolve("m.conf");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "alice:" + PasswordHash.createPbkdf2("a", 101) + "\n");
        Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous false\npassword_file " + pw + "\n");
        try (Broker broker = start(conf)) {
            String uri = uri(broker.port());
            MqttClient alice = Paho.connect(uri, "alice", "alice", "a");
            assertThat(Paho.connackCode(uri, "anon", null, null)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);

            // max_keepalive before the first listener: broker-wide, reloaded (inside a block it is
            // that listener's own, and listener options are not reloaded)
            Files.writeString(conf, "max_keepalive 60\nlistener 0 127.0.0.1 # same listener\nallow_anonymous true\n"
                    + "password_file " + pw + "\n");
            assertThat(reload(broker, conf)).isTrue();

            assertThat(Paho.connackCode(uri, "anon", null, null)).isZero();
            assertThat(alice.isConnected()).isTrue();
            assertThat(serverKeepAlive(broker.port())).isEqualTo(60);

            // max_packet_size, checked from the fixed header on, for connections made after the reload
            Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\npassword_file " + pw
                    + "\nmax_packet_size 100\n");
            assertThat(reload(broker, conf)).isTrue();
            try (RawClient c = RawClient.open(broker.port())) {
                c.send(MqttBytes.connect("big", 60));
                c.expectConnack(0);
                c.send(MqttBytes.publish("t", 0, false, 0, "x".repeat(200)));
                assertThat(c.closedByBroker()).isTrue();
            }
            Paho.closeQuietly(alice);
        }
    }

    /** The Server Keep Alive a v5 client asking for 120 s is told in CONNACK (max_keepalive). */
    private static Integer serverKeepAlive(int port) throws Exception {
        var c = new org.eclipse.paho.mqttv5.client.MqttClient(uri(port), "ka", new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setKeepAliveInterval(120);
        IMqttToken token = c.connectWithResult(o);
        Integer keepAlive = token.getResponseProperties().getServerKeepAlive();
        c.disconnect();
        c.close();
        return keepAlive;
    }

    private static int anonymousPublish(int port) {
        return External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "t",
                "-m", "1")).exitCode();
    }

    /** The same two reloads, on Debian's mosquitto and on Courtier: the same clients get in. */
    @Test
    void mosquittoReloadsTheSameWay() throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = External.freePort();
        Path conf = dir.resolve("side-by-side.conf");
        String listener = "listener " + port + " 127.0.0.1\n";
        Files.writeString(conf, listener + "allow_anonymous false\n");
        try (MosquittoBroker m = MosquittoBroker.onConfig(conf, port)) {
            assertThat(anonymousPublish(port)).isEqualTo(5);
            Files.writeString(conf, listener + "allow_anonymous true\n");
            m.hangUp();
            await().atMost(Duration.ofSeconds(20)).until(() -> anonymousPublish(port) == 0);
            Files.writeString(conf, listener + "allow_anonymous false\nlistener " + External.freePort() + "\n");
            m.hangUp();
            await().atMost(Duration.ofSeconds(20)).until(() -> m.log().contains(
                    "It is not currently possible to add/remove listeners when reloading the config file."));
            assertThat(anonymousPublish(port)).as("the refused reload changed nothing").isZero();
        }
        Files.writeString(conf, listener + "allow_anonymous false\n");
        try (Broker broker = start(conf)) {
            assertThat(anonymousPublish(port)).isEqualTo(5);
            Files.writeString(conf, listener + "allow_anonymous true\n");
            assertThat(reload(broker, conf)).isTrue();
            assertThat(anonymousPublish(port)).isZero();
            Files.writeString(conf, listener + "allow_anonymous false\nlistener " + External.freePort() + "\n");
            assertThat(reload(broker, conf)).isFalse();
            assertThat(anonymousPublish(port)).as("the refused reload changed nothing").isZero();
        }
    }

    @Test
    void upgradeOutgoingQosAppliesToTheNextMessageOfAnOpenSubscription() throws Exception {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\n");
        try (Broker broker = start(conf)) {
            MqttClient sub = Paho.connect(uri(broker.port()), "sub", null, null);
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            sub.subscribe("q", 2, (t, m) -> got.add(new String(m.getPayload()) + " at QoS " + m.getQos()));
            MqttClient pub = Paho.connect(uri(broker.port()), "pub", null, null);
            pub.publish("q", "before".getBytes(), 0, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);

            Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\nupgrade_outgoing_qos true\n");
            assertThat(reload(broker, conf)).isTrue();
            pub.publish("q", "after".getBytes(), 0, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
            assertThat(got).containsExactly("before at QoS 0", "after at QoS 2");
            Paho.closeQuietly(sub, pub);
        }
    }

    @Test
    void acceptProtocolVersionsFollowsAReloadAsInMosquitto21() throws Exception {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\naccept_protocol_versions 5\n");
        try (Broker broker = start(conf)) {
            assertThat(Paho.connackCode(uri(broker.port()), "v311", null, null))
                    .isEqualTo(MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION);
            Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\naccept_protocol_versions 4, 5\n");
            assertThat(reload(broker, conf)).isTrue();
            assertThat(Paho.connackCode(uri(broker.port()), "v311", null, null)).isZero();
        }
    }

    @Test
    void sysIntervalFollowsAReloadAndTurnsTheSysTreeOn() throws Exception {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\nsys_interval 0\n");
        try (Broker broker = start(conf)) {
            MqttClient sub = Paho.connect(uri(broker.port()), "sys", null, null);
            List<String> got = Paho.record(sub, "$SYS/broker/version", "probe");
            // The probe comes back after any retained message of the first subscription would have.
            sub.publish("probe", "p".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("probe p"));
            assertThat(got).containsExactly("probe p"); // sys_interval 0: no $SYS at all, as in Mosquitto

            Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\nsys_interval 1\n");
            assertThat(reload(broker, conf)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
            assertThat(got.get(1)).startsWith("$SYS/broker/version courtier version");
            Paho.closeQuietly(sub);
        }
    }

    @Test
    void addingAListenerIsRefusedAndEverythingInForceStays() throws Exception {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous false\n");
        try (Broker broker = start(conf); LogCapture log = LogCapture.broker()) {
            Files.writeString(conf, "listener 0 127.0.0.1\nallow_anonymous true\nlistener 0 ::1\n");
            assertThat(reload(broker, conf)).isFalse();
            assertThat(log.messages()).anyMatch(l -> l.contains(
                    "It is not currently possible to add/remove listeners when reloading the config file."));
            assertThat(Paho.connackCode(uri(broker.port()), "anon", null, null))
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        }
    }

    @Test
    void perListenerAclAddedByAReloadStopsDeliveriesToOpenSubscriptionsAtOnce() throws Exception {
        Path conf = dir.resolve("m.conf");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read news/public\ntopic write news/#\n");
        String listeners = "per_listener_settings true\nlistener 0 127.0.0.1\nallow_anonymous true\n";
        Files.writeString(conf, listeners);
        try (Broker broker = start(conf); LogCapture log = LogCapture.broker()) {
            String uri = uri(broker.port());
            MqttClient reader = Paho.connect(uri, "reader", null, null);
            List<String> got = Paho.record(reader, "news/#");
            MqttClient writer = Paho.connect(uri, "writer", null, null);
            writer.publish("news/secret", "before".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/secret before"));

            Files.writeString(conf, listeners + "acl_file " + acl + "\nmax_connections 100\n");
            assertThat(reload(broker, conf)).isTrue();
            // port 0 as the file says: the listener is named as configured
            assertThat(log.messages()).anyMatch(l -> l.contains("Options of the listener on port 0 changed: "
                    + "listener options are not reloaded"));

            writer.publish("news/secret", "after".getBytes(), 1, false);
            writer.publish("news/public", "after".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/public after"));
            assertThat(got).containsExactly("news/secret before", "news/public after");
            Paho.closeQuietly(reader, writer);
        }
    }
}
