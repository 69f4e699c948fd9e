package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.session.Session;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * max_inflight_messages: no more than that many QoS 1/2 messages unacknowledged at once; the
 * rest waits in the queue, up to max_queued_messages, beyond which messages are dropped.
 */
class FlowControlTest {

    private static void publishNumbered(MqttClient publisher, int count, int qos) throws Exception {
        for (int i = 1; i <= count; i++) {
            publisher.publish("flow", ("m" + i).getBytes(), qos, false);
        }
    }

    @Test
    void theInflightWindowHoldsBackMessagesUntilAcknowledged() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxInflightMessages = 3);
             RawClient slow = RawClient.connected(broker, "slow")) {
            slow.subscribe(1, "flow", 1);
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publishNumbered(publisher, 10, 1);

            Session session = broker.broker().sessions().get("slow");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> session.inflightCount() == 3 && session.queuedCount() == 7);
            List<RawClient.Packet> window = slow.readUntilPingresp();
            assertThat(window).extracting(RawClient.Packet::payload).containsExactly("m1", "m2", "m3");

            // Each PUBACK opens the window by one, in order.
            slow.send(MqttBytes.puback(window.get(0).publishId()));
            RawClient.Packet fourth = slow.read(RawClient.PUBLISH);
            assertThat(fourth.payload()).isEqualTo("m4");
            assertThat(slow.readUntilPingresp()).isEmpty();

            List<String> rest = new ArrayList<>();
            slow.send(MqttBytes.puback(window.get(1).publishId()));
            slow.send(MqttBytes.puback(window.get(2).publishId()));
            slow.send(MqttBytes.puback(fourth.publishId()));
            while (rest.size() < 6) {
                RawClient.Packet p = slow.read(RawClient.PUBLISH);
                rest.add(p.payload());
                slow.send(MqttBytes.puback(p.publishId()));
            }
            assertThat(rest).containsExactly("m5", "m6", "m7", "m8", "m9", "m10");
            Paho.closeQuietly(publisher);
        }
    }

    @Test
    void maxInflightBytesBoundsTheWindowByPayloadSizeButLetsABigMessageGoAlone() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxInflightBytes = 10);
             RawClient slow = RawClient.connected(broker, "slow")) {
            slow.subscribe(1, "flow", 1);
            MqttClient publisher = Paho.connect(broker, "pub", null);
            for (String payload : List.of("aaaa", "bbbb", "cccc", "a-message-over-ten-bytes", "dd")) {
                publisher.publish("flow", payload.getBytes(), 1, false);
            }
            Session session = broker.broker().sessions().get("slow");
            await().atMost(Duration.ofSeconds(10)).until(() -> session.queuedCount() == 3);
            // 4 + 4 bytes fit in 10; a third 4-byte message would not.
            List<RawClient.Packet> first = slow.readUntilPingresp();
            assertThat(first).extracting(RawClient.Packet::payload).containsExactly("aaaa", "bbbb");

            slow.send(MqttBytes.puback(first.get(0).publishId()));
            RawClient.Packet third = slow.read(RawClient.PUBLISH);
            assertThat(third.payload()).isEqualTo("cccc");
            slow.send(MqttBytes.puback(first.get(1).publishId()));
            assertThat(slow.readUntilPingresp()).as("the big one waits for an empty window").isEmpty();

            slow.send(MqttBytes.puback(third.publishId()));
            RawClient.Packet big = slow.read(RawClient.PUBLISH);
            assertThat(big.payload()).isEqualTo("a-message-over-ten-bytes");
            assertThat(slow.readUntilPingresp()).as("nothing beside an over-budget message").isEmpty();
            slow.send(MqttBytes.puback(big.publishId()));
            assertThat(slow.read(RawClient.PUBLISH).payload()).isEqualTo("dd");
            Paho.closeQuietly(publisher);
        }
    }

    @Test
    void beyondTheQueueLimitMessagesAreDroppedAndCounted() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> {
                b.maxInflightMessages = 2;
                b.maxQueuedMessages = 3;
            });
             RawClient slow = RawClient.connected(broker, "slow")) {
            slow.subscribe(1, "flow", 1);
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publishNumbered(publisher, 10, 1);

            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().stats().publishDropped.sum() == 5);
            List<String> received = new ArrayList<>();
            for (RawClient.Packet p = slow.read(RawClient.PUBLISH); ; p = slow.read(RawClient.PUBLISH)) {
                received.add(p.payload());
                slow.send(MqttBytes.puback(p.publishId()));
                if (received.size() == 5) {
                    break;
                }
            }
            assertThat(slow.readUntilPingresp()).isEmpty();
            // Two in flight plus three queued; the five that came later were dropped, as Mosquitto does.
            assertThat(received).containsExactly("m1", "m2", "m3", "m4", "m5");
            Paho.closeQuietly(publisher);
        }
    }

    @Test
    void theQueueLimitAppliesToOfflineClients() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 4)) {
            try (RawClient c = RawClient.open(broker)) {
                c.send(MqttBytes.connect("MQTT", 4, 0, 60, "away"));
                c.expectConnack(0);
                c.subscribe(1, "flow", 2);
                c.send(MqttBytes.disconnect());
                assertThat(c.closedByBroker()).isTrue();
            }
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publishNumbered(publisher, 10, 2);
            Paho.closeQuietly(publisher);

            try (RawClient c = RawClient.open(broker)) {
                c.send(MqttBytes.connect("MQTT", 4, 0, 60, "away"));
                assertThat(c.expectConnack(0).sessionPresent()).isTrue();
                assertThat(c.readUntilPingresp()).extracting(RawClient.Packet::payload)
                        .containsExactly("m1", "m2", "m3", "m4");
            }
        }
    }

    @Test
    void maxQueuedBytesBoundsTheQueueByPayloadSize() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedBytes = 6)) {
            try (RawClient c = RawClient.open(broker)) {
                c.send(MqttBytes.connect("MQTT", 4, 0, 60, "away"));
                c.expectConnack(0);
                c.subscribe(1, "flow", 1);
                c.send(MqttBytes.disconnect());
                assertThat(c.closedByBroker()).isTrue();
            }
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publishNumbered(publisher, 5, 1); // 2-byte payloads: three fit in 6 bytes
            Paho.closeQuietly(publisher);

            try (RawClient c = RawClient.open(broker)) {
                c.send(MqttBytes.connect("MQTT", 4, 0, 60, "away"));
                c.expectConnack(0);
                assertThat(c.readUntilPingresp()).extracting(RawClient.Packet::payload)
                        .containsExactly("m1", "m2", "m3");
            }
        }
    }

    @Test
    void qos0IsNotHeldBackByTheWindow() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxInflightMessages = 1);
             RawClient slow = RawClient.connected(broker, "slow")) {
            slow.subscribe(1, "flow", 0);
            MqttClient publisher = Paho.connect(broker, "pub", null);
            publishNumbered(publisher, 5, 0);
            assertThat(slow.readPublishes(5)).extracting(RawClient.Packet::payload)
                    .containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(slow.readUntilPingresp()).isEmpty();
            Paho.closeQuietly(publisher);
        }
    }
}
