package io.courtier.broker.persistence;

import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.durable;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker with persistence, stopped cleanly and started again on the same directory. */
class DurableBrokerTest {

    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCleanRestartKeepsSessionsQueuesSubscriptionsAndRetainedMessages() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "keeper");
            sub.connect(options(false));
            sub.subscribe("q/#", 2);
            sub.disconnect();
            sub.close();
            MqttClient pub = client(broker.port(), "pub");
            pub.connect(options(true));
            for (int i = 0; i < 30; i++) {
                pub.publish("q/1", text("a" + i), 1, false);
                pub.publish("q/2", text("b" + i), 2, false);
            }
            pub.publish("r/x", text("kept"), 1, true);
            pub.disconnect();
            pub.close();
        }
        try (Broker broker = Broker.start(config, "test")) {
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port(), "keeper");
            sub.setCallback(got);
            IMqttToken connected = sub.connectWithResult(options(false));
            assertThat(connected.getSessionPresent()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> got.all.size() >= 60);
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                a.add("q/1=a" + i);
                b.add("q/2=b" + i);
            }
            assertThat(got.all.stream().filter(s -> s.startsWith("q/1=")).toList()).isEqualTo(a);
            assertThat(got.all.stream().filter(s -> s.startsWith("q/2=")).toList()).isEqualTo(b);
            assertThat(got.all).hasSize(60);

            // The subscription came back: a new message reaches the restored session.
            MqttClient pub = client(broker.port(), "pub2");
            pub.connect(options(true));
            pub.publish("q/3", text("after"), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.count("q/3=after") == 1);

            // The retained message came back.
            PersistenceFixtures.Received fresh = new PersistenceFixtures.Received();
            MqttClient other = client(broker.port(), "other");
            other.setCallback(fresh);
            other.connect(options(true));
            other.subscribe("r/#", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> fresh.count("r/x=kept") == 1);
            for (MqttClient c : List.of(sub, pub, other)) {
                c.disconnect();
                c.close();
            }
        }
    }

    @Test
    void aQos1WillReachesAnOfflinePersistentSessionsStoredQueue() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient heir = client(broker.port(), "heir");
            heir.connect(options(false));
            heir.subscribe("wills/#", 1);
            heir.disconnect();
            heir.close();
            org.eclipse.paho.client.mqttv3.MqttAsyncClient dying = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                    "tcp://127.0.0.1:" + broker.port(), "dying", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = options(true);
            o.setWill("wills/dying", text("gone"), 1, false);
            dying.connect(o).waitForCompletion(10_000);
            dying.disconnectForcibly(0, 1000, false); // no DISCONNECT: the will goes out
            dying.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("heir").queuedCount() == 1);
        }
        try (Broker broker = Broker.start(config, "test")) {
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient heir = client(broker.port(), "heir");
            heir.setCallback(got);
            heir.connect(options(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> got.count("wills/dying=gone") == 1);
            heir.disconnect();
            heir.close();
        }
    }

    @Test
    void aRemovedRetainedMessageStaysRemovedAndQos0RetainedIsKept() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient pub = client(broker.port(), "pub");
            pub.connect(options(true));
            pub.publish("r/gone", text("x"), 1, true);
            pub.publish("r/gone", new byte[0], 1, true);
            pub.publish("r/zero", text("z"), 0, true);
            // QoS 0 has no acknowledgement: the broker must have read it before it is closed.
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.context().retained().get("r/zero") != null);
            pub.disconnect();
            pub.close();
        }
        try (Broker broker = Broker.start(config, "test")) {
            assertThat(broker.context()).isNotNull();
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient c = client(broker.port(), "reader");
            c.setCallback(got);
            c.connect(options(true));
            c.subscribe("r/#", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.count("r/zero=z") == 1);
            assertThat(got.all).containsExactly("r/zero=z");
            c.disconnect();
            c.close();
        }
    }

    @Test
    void anExpiredPersistentSessionLeavesNothingOnDisk() throws Exception {
        BrokerConfig.Builder b = durable(tmp);
        b.persistentClientExpiration = 1;
        BrokerConfig config = b.build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "short-lived");
            sub.connect(options(false));
            sub.subscribe("e/#", 1);
            sub.disconnect();
            sub.close();
            MqttClient pub = client(broker.port(), "pub");
            pub.connect(options(true));
            for (int i = 0; i < 5; i++) {
                pub.publish("e/1", text("m" + i), 1, false);
            }
            pub.disconnect();
            pub.close();
            assertThat(broker.sessions().get("short-lived")).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("short-lived") == null);
        }
        try (RocksDbStore store = PersistenceFile.open(tmp.resolve("courtier.db"), null, 0)) {
            RecoveredState state = store.recover();
            assertThat(state.sessions()).isEmpty();
            assertThat(state.messages()).isEmpty();
        }
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "short-lived");
            assertThat(sub.connectWithResult(options(false)).getSessionPresent()).isFalse();
            sub.disconnect();
            sub.close();
        }
    }

    @Test
    void anMqtt5SessionExpiresAfterItsOwnIntervalAndLeavesNothingOnDisk() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            org.eclipse.paho.mqttv5.client.MqttClient v5 = new org.eclipse.paho.mqttv5.client.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "v5-short",
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
            o.setCleanStart(false);
            o.setSessionExpiryInterval(1L);
            v5.connect(o);
            v5.subscribe("v5/#", 1);
            v5.disconnect();
            v5.close();
            assertThat(broker.sessions().get("v5-short")).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("v5-short") == null);
        }
        try (RocksDbStore store = PersistenceFile.open(tmp.resolve("courtier.db"), null, 0)) {
            assertThat(store.recover().sessions()).isEmpty();
        }
    }

    @Test
    void storedQueuesKeepMqtt5SubscriptionIdentifiersAcrossARestart() throws Exception {
        BrokerConfig config = durable(tmp).build();
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        try (Broker broker = Broker.start(config, "test")) {
            org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                    "tcp://127.0.0.1:" + broker.port(), "v5-ids", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            v5.connect(o).waitForCompletion(10_000);
            org.eclipse.paho.mqttv5.common.packet.MqttProperties props = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
            props.setSubscriptionIdentifier(7);
            v5.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("ids/#", 1)}, null, null, props)
                    .waitForCompletion(10_000);
            v5.disconnect().waitForCompletion(10_000);
            v5.close();
            MqttClient pub = client(broker.port(), "pub");
            pub.connect(options(true));
            pub.publish("ids/1", text("tagged"), 1, false);
            pub.disconnect();
            pub.close();
        }
        try (Broker broker = Broker.start(config, "test")) {
            List<List<Integer>> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
            org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                    "tcp://127.0.0.1:" + broker.port(), "v5-ids", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            v5.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    ids.add(m.getProperties().getSubscriptionIdentifiers());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                }
            });
            v5.connect(o).waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() == 1);
            assertThat(ids.get(0)).containsExactly(7);
            v5.disconnect().waitForCompletion(10_000);
            v5.close();
        }
    }

    @Test
    void aRestoredSessionStillExpiresOnTime() throws Exception {
        BrokerConfig.Builder b = durable(tmp);
        b.persistentClientExpiration = 2;
        BrokerConfig config = b.build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "restored-short");
            sub.connect(options(false));
            sub.subscribe("x/#", 1);
            sub.disconnect();
            sub.close();
        }
        try (Broker broker = Broker.start(config, "test")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("restored-short") == null);
        }
        try (RocksDbStore store = PersistenceFile.open(tmp.resolve("courtier.db"), null, 0)) {
            assertThat(store.recover().sessions()).isEmpty();
        }
    }

    @Test
    void aCleanSessionReplacingAPersistentOneRemovesItFromDisk() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "flip");
            sub.connect(options(false));
            sub.subscribe("f/#", 1);
            sub.disconnect();
            MqttClient pub = client(broker.port(), "pub");
            pub.connect(options(true));
            pub.publish("f/1", text("queued"), 1, false);
            pub.disconnect();
            pub.close();
            sub.connect(options(true));
            sub.disconnect();
            sub.close();
        }
        try (RocksDbStore store = PersistenceFile.open(tmp.resolve("courtier.db"), null, 0)) {
            RecoveredState state = store.recover();
            assertThat(state.sessions()).isEmpty();
            assertThat(state.messages()).isEmpty();
        }
    }
}
