package io.courtier.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.mqtt5.V5Client;
import io.courtier.broker.persistence.mosquitto.MosquittoDbReader;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mosquitto user switching to Courtier keeps Mosquitto's state: Debian's mosquitto 2.0.11
 * with {@code persistence true} gets retained messages and persistent sessions with queued and
 * in-flight messages, is stopped (it writes mosquitto.db), and Courtier started on the same
 * directory imports the file and serves it all.
 */
class MosquittoMigrationTest {

    @TempDir
    Path tmp;

    private String[] persistence() {
        return new String[] {"persistence true", "persistence_location " + tmp + "/"};
    }

    private TestBroker courtier() {
        return PersistenceFixtures.onMosquittoDb(tmp);
    }

    /** Mosquitto's state as the tutorial user leaves it: retained messages, two offline persistent sessions. */
    private void mosquittoWithState() throws Exception {
        try (MosquittoBroker m = MosquittoBroker.start(tmp, persistence())) {
            try (V5Client pub = V5Client.connect(m.port(), "publisher")) {
                MqttProperties props = new MqttProperties();
                props.setContentType("text/plain");
                props.setUserProperties(List.of(new UserProperty("room", "kitchen")));
                props.setMessageExpiryInterval(3600L);
                pub.publish("home/temp", bytes("21.5"), 1, true, props);
                pub.publish("home/door", bytes("closed"), 0, true, new MqttProperties());
            }
            try (V5Client v5 = persistent(m.port(), "dashboard")) {
                v5.subscribe(new MqttSubscription("alerts/#", 2), 7);
                MqttSubscription chat = new MqttSubscription("chat/#", 1);
                chat.setNoLocal(true);
                chat.setRetainAsPublished(true);
                v5.subscribe(chat, null);
            }
            org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + m.port(), "logger",
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            o.setCleanSession(false);
            v3.connect(o);
            v3.subscribe("alerts/+", 1);
            v3.disconnect();
            v3.close();
            try (V5Client pub = V5Client.connect(m.port(), "publisher")) {
                pub.publish("alerts/smoke", bytes("a1"), 1, false, new MqttProperties());
                pub.publish("alerts/water", bytes("a2"), 2, false, new MqttProperties());
                pub.publish("alerts/smoke", bytes("a3"), 1, false, new MqttProperties());
                pub.publish("alerts/deep/x", bytes("a4"), 2, false, new MqttProperties());
            }
            m.stop();
        }
        assertThat(MosquittoDbReader.isMosquittoDb(tmp.resolve("mosquitto.db"))).isTrue();
    }

    @Test
    void courtierServesMosquittosRetainedAndQueuedMessagesAndImportsOnlyOnce() throws Exception {
        mosquittoWithState();
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("imported Mosquitto's")).isTrue();
            assertThat(Files.readString(tmp.resolve("mosquitto.db"))).startsWith("Courtier persistence anchor");
            assertThat(MosquittoDbReader.isMosquittoDb(tmp.resolve("mosquitto.db.imported"))).isTrue();

            try (V5Client reader = V5Client.connect(b.port(), "reader")) {
                reader.subscribe(new MqttSubscription("home/#", 1), null);
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.size() == 2);
                V5Client.Received temp = find(reader, "home/temp");
                assertThat(temp.message().isRetained()).isTrue();
                assertThat(temp.message().getProperties().getContentType()).isEqualTo("text/plain");
                assertThat(temp.message().getProperties().getUserProperties())
                        .containsExactly(new UserProperty("room", "kitchen"));
                assertThat(temp.message().getProperties().getMessageExpiryInterval()).isBetween(1L, 3600L);
                assertThat(find(reader, "home/door").text()).isEqualTo("closed");
            }

            try (V5Client v5 = persistent(b.port(), "dashboard")) {
                assertThat(v5.sessionPresent()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> v5.received.size() >= 4);
                assertInOrder(v5);
                assertThat(v5.received.stream().map(r -> r.text() + "@" + r.message().getQos()).toList())
                        .containsExactlyInAnyOrder("a1@1", "a2@2", "a3@1", "a4@2");
                assertThat(v5.received).allSatisfy(r -> assertThat(
                        r.message().getProperties().getSubscriptionIdentifiers()).containsExactly(7));

                // The MQTT 5 options came along: no local (its own message is not sent back, and it
                // would arrive before the other one) and retain as published (RETAIN kept on a live message).
                v5.publish("chat/mine", bytes("me"), 1, false, new MqttProperties());
                try (V5Client other = V5Client.connect(b.port(), "other")) {
                    other.publish("chat/theirs", bytes("them"), 1, true, new MqttProperties());
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> v5.received.size() >= 5);
                V5Client.Received fifth = v5.received.get(4);
                assertThat(fifth.topic()).isEqualTo("chat/theirs");
                assertThat(fifth.message().isRetained()).isTrue();
            }

            org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + b.port(), "logger", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            List<String> got = new CopyOnWriteArrayList<>();
            v3.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8) + "@" + message.getQos());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            o.setCleanSession(false);
            assertThat(v3.connectWithResult(o).getSessionPresent()).isTrue();
            // alerts/+ matches three of them; the QoS 2 one arrives at the subscription's QoS 1.
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 3);
            assertThat(got).containsExactly("a1@1", "a2@1", "a3@1");
            v3.disconnect();
            v3.close();
        }

        // A second start uses Courtier's store: nothing imported again, the retained messages are still there.
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("imported Mosquitto's")).isFalse();
            try (V5Client reader = V5Client.connect(b.port(), "reader")) {
                reader.subscribe(new MqttSubscription("home/#", 1), null);
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.size() == 2);
            }
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mosquitto.db")))
                    .containsExactlyInAnyOrder("mosquitto.db", "mosquitto.db.imported", "mosquitto.db.courtier");
        }
    }

    /**
     * A client connected when Mosquitto stopped, with a QoS 1 message sent but not acknowledged
     * and a QoS 2 message whose PUBREC it sent: after the switch it gets the QoS 1 message again
     * with DUP and the same packet id, and the PUBREL for the QoS 2 one (MQTT 3.1.1 section 4.4).
     */
    @Test
    void inFlightMessagesResumeWhereMosquittoLeftThem() throws Exception {
        int qos1Id;
        int qos2Id;
        try (MosquittoBroker m = MosquittoBroker.start(tmp, persistence())) {
            RawClient c = RawClient.open("127.0.0.1", m.port());
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "meter"));
            c.expectConnack(0);
            c.subscribe(1, "meter/#", 2);
            try (V5Client pub = V5Client.connect(m.port(), "publisher")) {
                pub.publish("meter/a", bytes("one"), 1, false, new MqttProperties());
                pub.publish("meter/b", bytes("two"), 2, false, new MqttProperties());
            }
            RawClient.Packet one = c.read(RawClient.PUBLISH);
            RawClient.Packet two = c.read(RawClient.PUBLISH);
            assertThat(one.payload()).isEqualTo("one");
            qos1Id = one.publishId();
            qos2Id = two.publishId();
            c.send(MqttBytes.pubrec(qos2Id));
            assertThat(c.read(RawClient.PUBREL).ackId()).isEqualTo(qos2Id);
            m.stop(); // the client is still connected, its messages in flight
            c.kill();
        }
        try (TestBroker b = courtier()) {
            RawClient c = RawClient.open("127.0.0.1", b.port());
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "meter"));
            assertThat(c.read(RawClient.CONNACK).sessionPresent()).isTrue();
            RawClient.Packet first = c.read();
            RawClient.Packet second = c.read();
            RawClient.Packet publish = first.type() == RawClient.PUBLISH ? first : second;
            RawClient.Packet pubrel = first.type() == RawClient.PUBREL ? first : second;
            assertThat(publish.type()).isEqualTo(RawClient.PUBLISH);
            assertThat(publish.payload()).isEqualTo("one");
            assertThat(publish.dup()).isTrue();
            assertThat(publish.publishId()).isEqualTo(qos1Id);
            assertThat(pubrel.type()).isEqualTo(RawClient.PUBREL);
            assertThat(pubrel.ackId()).isEqualTo(qos2Id);
            c.send(MqttBytes.puback(qos1Id)).send(MqttBytes.pubcomp(qos2Id));
            c.close();
        }
    }

    /**
     * A QoS 2 message Mosquitto received but held until PUBREL (it routes on PUBREL): after the
     * switch the subscriber gets it, and the publisher's PUBREL is answered with PUBCOMP.
     */
    @Test
    void anIncomingQos2MessageAwaitingPubrelIsDeliveredAndItsPubrelAnswered() throws Exception {
        try (MosquittoBroker m = MosquittoBroker.start(tmp, persistence())) {
            try (V5Client watcher = persistent(m.port(), "watcher")) {
                watcher.subscribe(new MqttSubscription("in/#", 2), null);
            }
            RawClient sender = RawClient.open("127.0.0.1", m.port());
            sender.send(MqttBytes.connect("MQTT", 4, 0, 60, "sender"));
            sender.expectConnack(0);
            sender.send(MqttBytes.publish("in/x", 2, false, 42, "held"));
            assertThat(sender.read(RawClient.PUBREC).ackId()).isEqualTo(42);
            m.stop();
            sender.kill();
        }
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("1 incoming QoS 2 messages awaiting PUBREL")).isTrue();
            try (V5Client watcher = persistent(b.port(), "watcher")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> watcher.texts().contains("held"));
                RawClient sender = RawClient.open("127.0.0.1", b.port());
                sender.send(MqttBytes.connect("MQTT", 4, 0, 60, "sender"));
                assertThat(sender.read(RawClient.CONNACK).sessionPresent()).isTrue();
                sender.send(MqttBytes.pubrel(42));
                assertThat(sender.read(RawClient.PUBCOMP).ackId()).isEqualTo(42);
                sender.close();
                assertThat(watcher.texts()).containsExactly("held");
            }
        }
    }

    /** A file cut short imports what precedes the cut, says so, and the broker starts all the same. */
    @Test
    void aTruncatedFileImportsWhatItCanAndTheBrokerStarts() throws Exception {
        mosquittoWithState();
        Path file = tmp.resolve("mosquitto.db");
        byte[] whole = Files.readAllBytes(file);
        // Mosquitto writes the retained entries last: cutting the last 4 bytes loses one of them.
        Files.write(file, Arrays.copyOf(whole, whole.length - 4));
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("truncated at byte")).isTrue();
            try (V5Client reader = V5Client.connect(b.port(), "reader")) {
                reader.subscribe(new MqttSubscription("home/#", 1), null);
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.size() == 1);
            }
            try (V5Client v5 = persistent(b.port(), "dashboard")) {
                assertThat(v5.sessionPresent()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> v5.received.size() >= 4);
                assertInOrder(v5);
            }
        }
    }

    /**
     * Paho hands a QoS 2 message to the application only when the PUBREL arrives, so a QoS 1
     * message sent after it may surface first: the order is checked within each QoS.
     */
    private static void assertInOrder(V5Client v5) {
        assertThat(v5.texts()).containsExactlyInAnyOrder("a1", "a2", "a3", "a4");
        assertThat(v5.texts().stream().filter(t -> t.equals("a1") || t.equals("a3")).toList())
                .containsExactly("a1", "a3");
        assertThat(v5.texts().stream().filter(t -> t.equals("a2") || t.equals("a4")).toList())
                .containsExactly("a2", "a4");
    }

    /** Cut in the middle, or cut inside its header: the broker still starts, with what could be read. */
    @Test
    void aBadlyDamagedFileNeverStopsTheBroker() throws Exception {
        mosquittoWithState();
        Path file = tmp.resolve("mosquitto.db");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        try (TestBroker b = courtier()) {
            assertThat(b.port()).isPositive();
        }
        Files.delete(tmp.resolve("mosquitto.db"));
        deleteTree(tmp.resolve("mosquitto.db.courtier"));
        Files.write(file, Arrays.copyOf(whole, 20)); // the magic, then the header breaks off
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(b.port()).isPositive();
            assertThat(log.contains("could not be read")).isTrue();
            assertThat(Files.exists(tmp.resolve("mosquitto.db.unreadable"))).isTrue();
        }
    }

    /**
     * A power cut after the imported store was moved into place but before Mosquitto's file was
     * renamed: the next start recognises the file it imported (by its digest) and only finishes
     * the switch; the queued messages are delivered once, not twice.
     */
    @Test
    void anImportInterruptedBeforeItsLastRenameIsFinishedNotRepeated() throws Exception {
        Path file = tmp.resolve("mosquitto.db");
        byte[] original = importedOnce();
        Files.delete(tmp.resolve("mosquitto.db.imported"));
        Files.write(file, original); // as before the renames
        Files.createDirectories(tmp.resolve("mosquitto.db.courtier-importing")); // and a half-written import
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("was imported already")).isTrue();
            assertThat(log.contains("imported Mosquitto's")).isFalse();
            try (V5Client v5 = persistent(b.port(), "dashboard")) {
                assertThat(v5.sessionPresent()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> v5.received.size() >= 4);
                assertInOrder(v5);
            }
        }
        assertThat(Files.readAllBytes(tmp.resolve("mosquitto.db.imported"))).isEqualTo(original);
        assertThat(tmp.resolve("mosquitto.db.courtier-importing")).doesNotExist();
    }

    /** Mosquitto's file as it was before Courtier started once on it (and imported it). */
    private byte[] importedOnce() throws Exception {
        mosquittoWithState();
        byte[] original = Files.readAllBytes(tmp.resolve("mosquitto.db"));
        try (TestBroker b = courtier()) {
            assertThat(tmp.resolve("mosquitto.db.imported")).exists();
        }
        return original;
    }

    /** Mosquitto ran again after the switch and wrote a new file: Courtier will not choose between them. */
    @Test
    void aNewMosquittoFileBesideCourtiersStoreStopsStartUpSayingWhatToMove() throws Exception {
        Path file = tmp.resolve("mosquitto.db");
        byte[] original = importedOnce();
        byte[] newer = Arrays.copyOf(original, original.length - 4); // any other Mosquitto file
        Files.write(file, newer);
        org.assertj.core.api.Assertions.assertThatThrownBy(this::courtier).isInstanceOf(StoreException.class)
                .hasMessageContaining("is a Mosquitto persistence file, and Courtier's store")
                .hasMessageContaining("Move");
        assertThat(Files.readAllBytes(file)).isEqualTo(newer);
    }

    /** An MQTT 5 client with a session that outlives its connection by an hour. */
    private static V5Client persistent(int port, String clientId) throws Exception {
        return V5Client.connect(port, clientId, o -> {
            o.setCleanStart(false);
            o.setSessionExpiryInterval(3600L);
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static V5Client.Received find(V5Client c, String topic) {
        return c.received.stream().filter(r -> r.topic().equals(topic)).findFirst().orElseThrow();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
