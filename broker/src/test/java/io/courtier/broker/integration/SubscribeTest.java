package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** SUBSCRIBE and UNSUBSCRIBE (MQTT 3.1.1 sections 3.8 and 3.10) as a subscriber sees them. */
class SubscribeTest {

    private static byte[] unsubscribe(int packetId, String filter) {
        return MqttBytes.packet(0xA2, MqttBytes.concat(MqttBytes.u16(packetId), MqttBytes.string(filter)));
    }

    @Test
    void grantedQosIsCappedByMaxQos() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQos = 1);
             RawClient c = RawClient.connected(broker, "c")) {
            assertThat(c.subscribe(1, "a", 2)).isEqualTo(1);
            assertThat(c.subscribe(2, "b", 0)).isZero();
        }
    }

    @Test
    void subackListsOneCodePerFilterInOrder() throws Exception {
        try (TestBroker broker = TestBroker.start();
             RawClient c = RawClient.connected(broker, "c")) {
            c.send(MqttBytes.packet(0x82, MqttBytes.concat(MqttBytes.u16(7), MqttBytes.string("x"), new byte[] {2},
                    MqttBytes.string("y/#"), new byte[] {0}, MqttBytes.string("+/z"), new byte[] {1})));
            RawClient.Packet suback = c.read(RawClient.SUBACK);
            assertThat(suback.body()).containsExactly(0, 7, 2, 0, 1);
        }
    }

    @Test
    void aRepeatedSubscriptionReplacesTheFirstOne() throws Exception {
        try (TestBroker broker = TestBroker.start();
             RawClient c = RawClient.connected(broker, "c")) {
            c.subscribe(1, "t", 2);
            c.subscribe(2, "t", 0);
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publisher.publish("t", "x".getBytes(), 2, false);
            assertThat(c.readPublishes(1)).extracting(RawClient.Packet::qos).containsExactly(0);
            assertThat(c.readUntilPingresp()).isEmpty();
            Paho.closeQuietly(publisher);
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndIsAlwaysAcknowledged() throws Exception {
        try (TestBroker broker = TestBroker.start();
             RawClient c = RawClient.connected(broker, "c")) {
            c.subscribe(1, "t", 1);
            c.subscribe(2, "marker", 1);
            c.send(unsubscribe(3, "t"));
            assertThat(c.read().firstByte()).isEqualTo(0xB0); // UNSUBACK
            c.send(unsubscribe(4, "never/subscribed"));
            RawClient.Packet unsuback = c.read();
            assertThat(unsuback.firstByte()).isEqualTo(0xB0);
            assertThat(unsuback.ackId()).isEqualTo(4);

            MqttClient publisher = Paho.connect(broker, "pub", null);
            publisher.publish("t", "gone".getBytes(), 1, false);
            publisher.publish("marker", "m".getBytes(), 1, false);
            // Both were routed in order; only the marker matches a subscription still held.
            assertThat(c.readPublishes(1)).extracting(RawClient.Packet::payload).containsExactly("m");
            Paho.closeQuietly(publisher);
        }
    }

    @Test
    void aClientReceivesItsOwnMessages() throws Exception {
        // MQTT 3.1.1 has no "no local" option: a publisher subscribed to its topic gets its message back.
        try (TestBroker broker = TestBroker.start();
             RawClient c = RawClient.connected(broker, "echo")) {
            c.subscribe(1, "self", 1);
            c.send(MqttBytes.publish("self", 1, false, 5, "me"));
            RawClient.Packet first = c.read();
            RawClient.Packet second = c.read();
            assertThat(java.util.List.of(first.type(), second.type()))
                    .containsExactlyInAnyOrder(RawClient.PUBACK, RawClient.PUBLISH);
            RawClient.Packet publish = first.type() == RawClient.PUBLISH ? first : second;
            assertThat(publish.payload()).isEqualTo("me");
        }
    }
}
