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

/** {@link PublishHandler} alone: a client's PUBLISH at each QoS, MQTT 5 aliases and limits, the ACL. */
class PublishHandlerTest {

    private EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();

    @AfterEach
    void close() {
        rooms.close();
    }

    /** A subscriber (3.1.1) to {@code filter} at {@code qos}, connected to the rooms in use. */
    private EmbeddedConnection subscriber(String filter, int qos) {
        return rooms.connected(connect311("sub")).subscribe(1, filter, qos);
    }

    @Test
    void aQos0PublishReachesTheSubscriberAndIsNotAcknowledged() {
        EmbeddedConnection sub = subscriber("a/b", 0);
        EmbeddedConnection pub = rooms.connected(connect311("pub"));

        pub.send(packet(0x30,           // PUBLISH, QoS 0
                utf8("a/b"),            // topic name
                raw("hi")));            // payload

        assertThat(pub.written()).isEmpty();
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x30, utf8("a/b"), raw("hi"))));
    }

    @Test
    void aQos1PublishIsAcknowledgedAndDeliveredAtQos1WithTheSubscribersOwnPacketId() {
        EmbeddedConnection sub = subscriber("a/+", 1);
        EmbeddedConnection pub = rooms.connected(connect311("pub"));

        pub.send(packet(0x32,           // PUBLISH, QoS 1
                utf8("a/b"),            // topic name
                bytes(0x00, 0x07),      // packet identifier 7
                raw("one")));           // payload

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0x40, 0x02,             // PUBACK
                0x00, 0x07)));          // packet identifier 7
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x32, utf8("a/b"),
                bytes(0x00, 0x01),      // the subscriber's session numbers its own deliveries
                raw("one"))));
    }

    @Test
    void aQos2PublishIsRoutedOnceThoughResentAndCompletedByPubrel() {
        EmbeddedConnection sub = subscriber("a/b", 0);
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        byte[] publish = packet(0x34,   // PUBLISH, QoS 2
                utf8("a/b"), bytes(0x00, 0x02), raw("two"));
        byte[] resend = packet(0x3C,    // PUBLISH, QoS 2, DUP
                utf8("a/b"), bytes(0x00, 0x02), raw("two"));

        pub.send(publish);
        assertThat(pub.writtenHex()).isEqualTo("50 02 00 02"); // PUBREC 2
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x30, utf8("a/b"), raw("two"))));

        pub.send(resend);
        assertThat(pub.writtenHex()).isEqualTo("50 02 00 02"); // PUBREC again [MQTT-4.3.3-2]
        assertThat(sub.written()).as("not routed twice").isEmpty();

        pub.send(bytes(0x62, 0x02, 0x00, 0x02)); // PUBREL 2
        assertThat(pub.writtenHex()).isEqualTo("70 02 00 02"); // PUBCOMP 2
        assertThat(rooms.session("pub").inboundQos2Count()).isZero();
    }

    @Test
    void aQos2PublishSentAThirdTimeBeforePubrelIsAProtocolError() {
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        byte[] publish = packet(0x34, utf8("a/b"), bytes(0x00, 0x03), raw("x"));

        pub.send(publish, publish);
        assertThat(pub.writtenHex()).isEqualTo("50 02 00 03 50 02 00 03");
        pub.send(publish);

        assertThat(pub.written()).isEmpty();
        assertThat(pub.isOpen()).isFalse();
    }

    @Test
    void aPublishAboveMaxQosClosesTheConnection() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.maxQos = 1);
        EmbeddedConnection pub = rooms.connected(connect311("pub"));

        pub.send(packet(0x34, utf8("a/b"), bytes(0x00, 0x01), raw("x"))); // QoS 2

        assertThat(pub.written()).isEmpty();
        assertThat(pub.isOpen()).isFalse();
    }

    @Test
    void aRetainedPublishIsKeptForLaterSubscribers() {
        EmbeddedConnection pub = rooms.connected(connect311("pub"));

        pub.send(packet(0x31,           // PUBLISH, QoS 0, RETAIN
                utf8("state"), raw("on")));

        assertThat(rooms.broker.retained.get("state")).isNotNull();
    }

    @Test
    void aV5TopicAliasIsSetThenUsedWithAnEmptyTopic() {
        EmbeddedConnection sub = subscriber("long/topic", 0);
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x30,           // PUBLISH, QoS 0
                utf8("long/topic"),     // topic name
                bytes(0x03,             // property length
                        0x23, 0x00, 0x01), // Topic Alias: 1
                raw("1")));
        pub.send(packet(0x30,
                utf8(""),               // empty topic name: the alias stands for it
                bytes(0x03, 0x23, 0x00, 0x01),
                raw("2")));

        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x30, utf8("long/topic"), raw("1")))
                + " " + hex(packet(0x30, utf8("long/topic"), raw("2"))));
        assertThat(pub.isOpen()).isTrue();
    }

    @Test
    void aV5TopicAliasAboveTheAnnouncedMaximumIsRefused() {
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x30, utf8("t"),
                bytes(0x03, 0x23, 0x00, 0x0B), // Topic Alias: 11, above the 10 announced
                raw("x")));

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT
                0x94)));                // 0x94 Topic Alias invalid [MQTT-3.3.2-9]
        assertThat(pub.isOpen()).isFalse();
    }

    @Test
    void aV5TopicAliasUsedBeforeItWasSetIsAProtocolError() {
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x30, utf8(""), bytes(0x03, 0x23, 0x00, 0x02), raw("x")));

        assertThat(pub.writtenHex()).isEqualTo("E0 01 82"); // DISCONNECT 0x82 Protocol Error
    }

    @Test
    void moreUnacknowledgedQos2PublishesThanTheReceiveMaximumEndTheConnection() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.maxInflightMessages = 1); // Receive Maximum 1
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x34, utf8("t"), bytes(0x00, 0x01), bytes(0x00), raw("x"))); // id 1, no properties
        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0x50, 0x03,             // PUBREC
                0x00, 0x01,             // packet identifier 1, held until PUBREL
                0x10)));                // 0x10 No matching subscribers
        pub.send(packet(0x34, utf8("t"), bytes(0x00, 0x02), bytes(0x00), raw("y"))); // id 2

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT
                0x93)));                // 0x93 Receive Maximum exceeded [MQTT-3.3.4-8]
        assertThat(pub.isOpen()).isFalse();
    }

    @Test
    void aPublishTheAclDeniesIsAcknowledgedToV311ButDeliveredToNobody(@TempDir Path dir) throws IOException {
        useAcl(dir);
        EmbeddedConnection sub = subscriber("#", 1);
        EmbeddedConnection pub = rooms.connected(connect311("pub"));

        pub.send(packet(0x32, utf8("secret/x"), bytes(0x00, 0x05), raw("x")));

        assertThat(pub.writtenHex()).isEqualTo("40 02 00 05"); // PUBACK as if delivered, as Mosquitto
        assertThat(sub.written()).isEmpty();
    }

    @Test
    void aPublishTheAclDeniesIsRefusedToV5WithNotAuthorized(@TempDir Path dir) throws IOException {
        useAcl(dir);
        EmbeddedConnection sub = subscriber("#", 1);
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x32, utf8("secret/x"), bytes(0x00, 0x05), bytes(0x00), raw("x")));
        pub.send(packet(0x32, utf8("open/x"), bytes(0x00, 0x06), bytes(0x00), raw("y")));

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0x40, 0x03,             // PUBACK
                0x00, 0x05,             // packet identifier 5
                0x87,                   // 0x87 Not authorized
                0x40, 0x02, 0x00, 0x06))); // PUBACK 6, Success (a reason code 0 is left out)
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x32, utf8("open/x"), bytes(0x00, 0x01), raw("y"))));
    }

    private void useAcl(Path dir) throws IOException {
        Path acl = Files.writeString(dir.resolve("acl"), """
                topic read #
                topic write open/#
                """);
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.security = b.security.withAclFile(acl));
    }

    @Test
    void aQos0PublishWhosePayloadIsNotTheUtf8ItsFormatIndicatorClaimsEndsTheConnection() {
        EmbeddedConnection sub = subscriber("t", 0);
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x30, utf8("t"),
                bytes(0x02,             // property length
                        0x01, 0x01),    // Payload Format Indicator: 1, UTF-8
                bytes(0xFF, 0xFE)));    // payload: not UTF-8

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT
                0x99)));                // 0x99 Payload format invalid [MQTT-3.3.2-4]
        assertThat(sub.written()).isEmpty();
    }

    @Test
    void aQos1PublishWhosePayloadIsNotUtf8IsRefusedInItsPuback() {
        EmbeddedConnection sub = subscriber("t", 1);
        EmbeddedConnection pub = rooms.connected(connect5("pub"));

        pub.send(packet(0x32, utf8("t"), bytes(0x00, 0x09),
                bytes(0x02, 0x01, 0x01), // Payload Format Indicator: 1
                bytes(0xC3)));           // a UTF-8 sequence cut short

        assertThat(pub.writtenHex()).isEqualTo(hex(bytes(
                0x40, 0x03,             // PUBACK
                0x00, 0x09,             // packet identifier 9
                0x99)));                // 0x99 Payload format invalid
        assertThat(sub.written()).isEmpty();
        assertThat(pub.isOpen()).isTrue();
    }
}
