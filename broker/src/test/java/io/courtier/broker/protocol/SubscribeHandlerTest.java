package io.courtier.broker.protocol;

import static io.courtier.broker.protocol.EmbeddedConnection.bytes;
import static io.courtier.broker.protocol.EmbeddedConnection.connect311;
import static io.courtier.broker.protocol.EmbeddedConnection.connect5;
import static io.courtier.broker.protocol.EmbeddedConnection.hex;
import static io.courtier.broker.protocol.EmbeddedConnection.packet;
import static io.courtier.broker.protocol.EmbeddedConnection.raw;
import static io.courtier.broker.protocol.EmbeddedConnection.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SubscribeHandler} alone: granted QoS, retained messages, bad filters, quotas and the ACL. */
class SubscribeHandlerTest {

    private EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();

    @AfterEach
    void close() {
        rooms.close();
    }

    private void reopen(java.util.function.Consumer<io.courtier.broker.config.BrokerConfig.Builder> config) {
        rooms.close();
        rooms = EmbeddedConnection.rooms(config);
    }

    @Test
    void eachFilterIsGrantedItsQosCappedByMaxQosAndTheSubscriptionIsInTheTree() {
        reopen(b -> b.maxQos = 1);
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(packet(0x82,             // SUBSCRIBE
                bytes(0x00, 0x0A),      // packet identifier 10
                utf8("a/#"), bytes(0x02), // filter a/#, QoS 2
                utf8("b"), bytes(0x00)));  // filter b, QoS 0

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0x90, 0x04,             // SUBACK
                0x00, 0x0A,             // packet identifier 10
                0x01,                   // a/#: QoS 1, max_qos
                0x00)));                // b: QoS 0
        assertThat(rooms.session("c").subscriptions()).hasSize(2);
    }

    @Test
    void aRetainedMessageFollowsTheSubackWithRetainSet() {
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        pub.send(packet(0x31, utf8("s/1"), raw("on"))); // PUBLISH, QoS 0, RETAIN
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(packet(0x82, bytes(0x00, 0x01), utf8("s/+"), bytes(0x01)));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x90, 0x03, 0x00, 0x01, 0x01)) // SUBACK
                + " " + hex(packet(0x31,    // PUBLISH, QoS 0, RETAIN [MQTT-3.3.1-8]
                utf8("s/1"), raw("on"))));
    }

    @Test
    void retainHandling2SendsNoRetainedMessage() {
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        pub.send(packet(0x31, utf8("s/1"), raw("on")));
        EmbeddedConnection c = rooms.connected(connect5("c"));

        c.send(packet(0x82, bytes(0x00, 0x01),
                bytes(0x00),            // property length
                utf8("s/+"),
                bytes(0x20)));          // options: Retain Handling 2, QoS 0 [MQTT-3.3.1-11]

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x90, 0x04, 0x00, 0x01,
                0x00,                   // property length
                0x00)));                // granted QoS 0; no PUBLISH follows
    }

    @Test
    void anInvalidFilterIsAMalformedPacketThatClosesTheConnection() {
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(packet(0x82, bytes(0x00, 0x01),
                utf8("a/#/b"),          // '#' must be the last level [MQTT-4.7.1-2]
                bytes(0x00)));

        assertThat(c.written()).isEmpty();
        assertThat(c.isOpen()).isFalse();
        assertThat(rooms.broker.tree.count()).isZero();
    }

    @Test
    void aFilterDeeperThanMosquittosLimitEndsAV5ConnectionWithMalformedPacket() {
        EmbeddedConnection c = rooms.connected(connect5("c"));

        c.send(packet(0x82, bytes(0x00, 0x01), bytes(0x00),
                utf8("a/".repeat(TopicDepth.MAX_SEPARATORS + 1) + "z"), bytes(0x00)));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT
                0x81)));                // 0x81 Malformed Packet, as Mosquitto
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void maxSubscriptionsPerClientRefusesANewFilterButNotAReplacedOne() {
        reopen(b -> b.maxSubscriptionsPerClient = 1);
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(packet(0x82, bytes(0x00, 0x01), utf8("one"), bytes(0x00)));
        c.send(packet(0x82, bytes(0x00, 0x02), utf8("two"), bytes(0x00)));
        c.send(packet(0x82, bytes(0x00, 0x03), utf8("one"), bytes(0x01)));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0x90, 0x03, 0x00, 0x01, 0x00,   // one: granted
                0x90, 0x03, 0x00, 0x02, 0x80,   // two: 0x80 failure, over the limit
                0x90, 0x03, 0x00, 0x03, 0x01))); // one again: replaces it [MQTT-3.8.4-3]
        assertThat(rooms.session("c").subscriptions()).hasSize(1);
    }

    @Test
    void withAnAclFileTheFilterIsGrantedButOnlyRetainedMessagesTheClientMayReadFollow(@TempDir Path dir)
            throws IOException {
        // Mosquitto 2.0.11's ACL file does not refuse a SUBSCRIBE: reading is checked per message.
        Path acl = Files.writeString(dir.resolve("acl"), "topic write #\ntopic read open/#\n");
        reopen(b -> b.security = b.security.withAclFile(acl));
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        pub.send(packet(0x31, utf8("secret/x"), raw("s")), packet(0x31, utf8("open/x"), raw("o")));
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(packet(0x82, bytes(0x00, 0x01), utf8("#"), bytes(0x00)));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x90, 0x03, 0x00, 0x01, 0x00)) // SUBACK: QoS 0
                + " " + hex(packet(0x31, utf8("open/x"), raw("o"))));          // secret/x is not sent
    }
}
