package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.Paho.Received;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retained messages (MQTT 3.1.1 section 3.3.1.3): stored per topic, replayed on subscribe, cleared by an empty payload. */
class RetainedTest {

    private TestBroker broker;
    private MqttClient publisher;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start();
        publisher = Paho.connect(broker, "pub", null);
    }

    @AfterEach
    void stop() {
        Paho.closeQuietly(publisher);
        broker.close();
    }

    private void publish(String topic, String payload, int qos, boolean retain) throws Exception {
        publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /**
     * A QoS 0 publish has no acknowledgement: Paho returns once it is written, and a late
     * subscriber connecting through another event loop could subscribe before the broker has
     * read it. Wait until the broker holds it.
     */
    private void awaitRetained(String topic) {
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().context().retained().get(topic) != null);
    }

    @Test
    void aLateSubscriberGetsTheLastRetainedMessageWithTheRetainFlag() throws Exception {
        publish("home/door", "open", 1, true);
        publish("home/door", "closed", 1, true);
        publish("home/window", "shut", 0, true);
        awaitRetained("home/window"); // QoS 0: Paho returns once it is written, not once the broker has it

        try (RawClient late = RawClient.connected(broker, "late")) {
            late.subscribe(1, "home/+", 1);
            var packets = late.readUntilPingresp();
            assertThat(packets).extracting(RawClient.Packet::topic, RawClient.Packet::payload, RawClient.Packet::retain,
                            RawClient.Packet::qos)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("home/door", "closed", true, 1),
                            org.assertj.core.groups.Tuple.tuple("home/window", "shut", true, 0));
        }
    }

    @Test
    void retainedQosIsCappedByTheSubscription() throws Exception {
        publish("cfg/a", "v", 2, true);
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.connect(broker, "sub", inbox);
        try {
            sub.subscribe("cfg/#", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.messages()).containsExactly(new Received("cfg/a", "v", 1, true, false));
        } finally {
            Paho.closeQuietly(sub);
        }
    }

    @Test
    void anEmptyRetainedPayloadRemovesTheRetainedMessage() throws Exception {
        publish("sensor/t", "20", 1, true);
        publish("sensor/t", "", 1, true);
        publish("sensor/u", "keep", 1, true);

        try (RawClient late = RawClient.connected(broker, "late")) {
            late.subscribe(1, "sensor/#", 1);
            assertThat(late.readUntilPingresp()).extracting(RawClient.Packet::topic).containsExactly("sensor/u");
        }
    }

    @Test
    void liveSubscribersGetRetainedMessagesWithTheRetainFlagCleared() throws Exception {
        // [MQTT-3.3.1-9]: RETAIN is 0 when a message is forwarded because of an existing subscription.
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.connect(broker, "live", inbox);
        try {
            sub.subscribe("news", 1);
            publish("news", "flash", 1, true);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.messages()).containsExactly(new Received("news", "flash", 1, false, false));
        } finally {
            Paho.closeQuietly(sub);
        }
    }

    @Test
    void theEmptyPayloadThatClearsARetainedMessageIsStillForwarded() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.connect(broker, "live", inbox);
        try {
            sub.subscribe("news", 0);
            publish("news", "", 0, true);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.payloads()).containsExactly("");
        } finally {
            Paho.closeQuietly(sub);
        }
    }

    @Test
    void resubscribingReplaysRetainedMessagesAgain() throws Exception {
        // [MQTT-3.8.4-3]: a repeated SUBSCRIBE replaces the subscription and re-sends retained messages.
        publish("r", "once", 0, true);
        awaitRetained("r");
        try (RawClient c = RawClient.connected(broker, "twice")) {
            c.subscribe(1, "r", 0);
            assertThat(c.readUntilPingresp()).hasSize(1);
            c.subscribe(2, "r", 0);
            assertThat(c.readUntilPingresp()).extracting(RawClient.Packet::payload).containsExactly("once");
        }
    }

    @Test
    void aRetainedMessageFromARawClientIsStoredToo() throws Exception {
        try (RawClient p = RawClient.connected(broker, "rawpub")) {
            p.send(MqttBytes.publish("raw/t", 2, true, 7, "v"));
            assertThat(p.read(RawClient.PUBREC).ackId()).isEqualTo(7);
            p.send(MqttBytes.pubrel(7));
            assertThat(p.read(RawClient.PUBCOMP).ackId()).isEqualTo(7);
        }
        try (RawClient late = RawClient.connected(broker, "late")) {
            late.subscribe(1, "raw/t", 2);
            RawClient.Packet m = late.read(RawClient.PUBLISH);
            assertThat(m.retain()).isTrue();
            assertThat(m.qos()).isEqualTo(2);
            assertThat(m.payload()).isEqualTo("v");
        }
    }
}
