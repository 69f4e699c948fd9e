package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import org.junit.jupiter.api.Test;

/** message_size_limit: a larger payload is acknowledged and dropped, as Mosquitto does; max_packet_size closes. */
class MessageSizeLimitTest {

    @Test
    void aPayloadOverTheLimitIsAcknowledgedButNotDelivered() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.messageSizeLimit = 100);
             RawClient sub = RawClient.connected(broker, "sub");
             RawClient pub = RawClient.connected(broker, "pub")) {
            sub.subscribe(1, "big", 1);
            pub.send(MqttBytes.publish("big", 1, false, false, 1, new byte[101]));
            assertThat(pub.read(RawClient.PUBACK).ackId()).isEqualTo(1);
            pub.send(MqttBytes.publish("big", 1, false, false, 2, new byte[100]));
            assertThat(pub.read(RawClient.PUBACK).ackId()).isEqualTo(2);

            assertThat(sub.read(RawClient.PUBLISH).body()).hasSize(2 + "big".length() + 2 + 100);
            assertThat(sub.readUntilPingresp()).as("the 101-byte message was dropped").isEmpty();
            assertThat(pub.readUntilPingresp()).as("the publisher stays connected").isEmpty();
            assertThat(broker.broker().stats().publishDropped.sum()).isEqualTo(1);
        }
    }

    @Test
    void aPacketOverMaxPacketSizeClosesTheConnectionBeforeItsBodyIsRead() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxPacketSize = 1000);
             RawClient pub = RawClient.connected(broker, "pub")) {
            // Only the fixed header of a 10 MB packet: the broker must not wait for the body.
            pub.send(new byte[] {0x30, (byte) 0x80, (byte) 0xAD, (byte) 0xE2, 0x04});
            assertThat(pub.closedByBroker()).isTrue();
        }
    }
}
