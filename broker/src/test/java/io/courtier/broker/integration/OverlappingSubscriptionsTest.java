package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.courtier.testkit.Paho;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose subscriptions overlap receives one copy of a message, at the highest QoS its
 * matching subscriptions grant [MQTT-3.3.5-1]; other clients get their own copy.
 */
class OverlappingSubscriptionsTest {

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

    @Test
    void oneCopyPerClientAtTheHighestMatchingQos() throws Exception {
        try (RawClient greedy = RawClient.connected(broker, "greedy");
             RawClient modest = RawClient.connected(broker, "modest")) {
            greedy.subscribe(1, "home/#", 0);
            greedy.subscribe(2, "home/+/temp", 2);
            greedy.subscribe(3, "home/kitchen/temp", 1);
            greedy.subscribe(4, "#", 0);
            modest.subscribe(1, "home/#", 1);

            publisher.publish("home/kitchen/temp", "21".getBytes(), 2, false);

            assertThat(greedy.readPublishes(1)).extracting(RawClient.Packet::topic, RawClient.Packet::qos)
                    .containsExactly(tuple("home/kitchen/temp", 2));
            assertThat(modest.readPublishes(1)).extracting(RawClient.Packet::topic, RawClient.Packet::qos)
                    .containsExactly(tuple("home/kitchen/temp", 1));
            // No second copy follows (copies of one routing would be queued with the first).
            assertThat(greedy.readUntilPingresp()).isEmpty();
            assertThat(modest.readUntilPingresp()).isEmpty();
        }
    }

    @Test
    void theCopyIsCappedByThePublishQos() throws Exception {
        try (RawClient c = RawClient.connected(broker, "c")) {
            c.subscribe(1, "a/#", 2);
            c.subscribe(2, "a/b", 1);
            publisher.publish("a/b", "x".getBytes(), 0, false);
            assertThat(c.readPublishes(1)).extracting(RawClient.Packet::qos).containsExactly(0);
            assertThat(c.readUntilPingresp()).isEmpty();
        }
    }

    @Test
    void unsubscribingOneOfTwoOverlappingFiltersKeepsTheOther() throws Exception {
        try (RawClient c = RawClient.connected(broker, "c")) {
            c.subscribe(1, "a/#", 1);
            c.subscribe(2, "a/b", 0);
            c.send(io.courtier.testkit.MqttBytes.packet(0xA2, io.courtier.testkit.MqttBytes.concat(
                    io.courtier.testkit.MqttBytes.u16(3), io.courtier.testkit.MqttBytes.string("a/#"))));
            assertThat(c.read().type()).isEqualTo(11); // UNSUBACK
            publisher.publish("a/b", "x".getBytes(), 1, false);
            assertThat(c.readPublishes(1)).extracting(RawClient.Packet::qos).containsExactly(0);
            assertThat(c.readUntilPingresp()).isEmpty();
        }
    }
}
