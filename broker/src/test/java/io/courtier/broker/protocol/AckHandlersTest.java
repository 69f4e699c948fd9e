package io.courtier.broker.protocol;

import static io.courtier.broker.protocol.EmbeddedConnection.bytes;
import static io.courtier.broker.protocol.EmbeddedConnection.connect311;
import static io.courtier.broker.protocol.EmbeddedConnection.connect5;
import static io.courtier.broker.protocol.EmbeddedConnection.hex;
import static io.courtier.broker.protocol.EmbeddedConnection.packet;
import static io.courtier.broker.protocol.EmbeddedConnection.raw;
import static io.courtier.broker.protocol.EmbeddedConnection.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AckHandlers} alone: PUBACK, PUBREC, PUBREL and PUBCOMP from a client. With
 * max_inflight_messages 1 the subscriber's window holds one delivery, so the next message going
 * out shows that an acknowledgement ended the one before.
 */
class AckHandlersTest {

    private final EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms(b -> b.maxInflightMessages = 1);

    @AfterEach
    void close() {
        rooms.close();
    }

    /** Two messages "1" and "2" published on {@code t} at {@code qos} by a 3.1.1 client. */
    private void publishTwo(int qos) {
        EmbeddedConnection pub = rooms.connected(connect311("pub"));
        pub.send(packet(0x30 | qos << 1, utf8("t"), bytes(0x00, 0x01), raw("1")),
                packet(0x30 | qos << 1, utf8("t"), bytes(0x00, 0x02), raw("2")));
    }

    @Test
    void aPubackEndsAQos1DeliveryAndLetsTheNextOneOut() {
        EmbeddedConnection sub = rooms.connected(connect311("sub")).subscribe(1, "t", 1);
        publishTwo(1);
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x32, utf8("t"), bytes(0x00, 0x01), raw("1"))));

        sub.send(bytes(0x40, 0x02,      // PUBACK
                0x00, 0x01));           // packet identifier 1

        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x32, utf8("t"), bytes(0x00, 0x02), raw("2"))));
    }

    @Test
    void aPubrecIsAnsweredWithPubrelAndAPubcompEndsTheQos2Delivery() {
        EmbeddedConnection sub = rooms.connected(connect311("sub")).subscribe(1, "t", 2);
        publishTwo(2);
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x34, utf8("t"), bytes(0x00, 0x01), raw("1"))));

        sub.send(bytes(0x50, 0x02, 0x00, 0x01)); // PUBREC 1
        assertThat(sub.writtenHex()).isEqualTo(hex(bytes(
                0x62, 0x02,             // PUBREL (flags 0010)
                0x00, 0x01)));          // packet identifier 1 [MQTT-4.3.3-1]

        sub.send(bytes(0x70, 0x02, 0x00, 0x01)); // PUBCOMP 1
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x34, utf8("t"), bytes(0x00, 0x02), raw("2"))));
    }

    @Test
    void aV5PubrecWithAFailureCodeEndsTheDeliveryWithoutPubrel() {
        EmbeddedConnection sub = rooms.connected(connect5("sub")).subscribe(1, "t", 2);
        publishTwo(2);
        assertThat(sub.writtenHex()).isEqualTo(hex(packet(0x34, utf8("t"), bytes(0x00, 0x01), bytes(0x00),
                raw("1"))));

        sub.send(bytes(0x50, 0x03,      // PUBREC
                0x00, 0x01,             // packet identifier 1
                0x80));                 // 0x80 Unspecified error (MQTT 5.0 4.3.3)

        assertThat(sub.writtenHex()).as("no PUBREL; the next message takes the window")
                .isEqualTo(hex(packet(0x34, utf8("t"), bytes(0x00, 0x02), bytes(0x00), raw("2"))));
    }

    @Test
    void aPubrecForAnUnknownIdIsAnsweredWithPacketIdentifierNotFoundInV5AndSuccessIn311() {
        EmbeddedConnection v5 = rooms.connected(connect5("v5"));
        EmbeddedConnection v3 = rooms.connected(connect311("v3"));

        v5.send(bytes(0x50, 0x02, 0x00, 0x09)); // PUBREC 9: nothing was sent with id 9
        v3.send(bytes(0x50, 0x02, 0x00, 0x09));

        assertThat(v5.writtenHex()).isEqualTo(hex(bytes(
                0x62, 0x03,             // PUBREL
                0x00, 0x09,             // packet identifier 9
                0x92)));                // 0x92 Packet Identifier not found
        assertThat(v3.writtenHex()).isEqualTo("62 02 00 09");
    }

    @Test
    void aPubrelForAnUnknownIdIsAnsweredWithPacketIdentifierNotFoundInV5() {
        EmbeddedConnection v5 = rooms.connected(connect5("v5"));

        v5.send(bytes(0x62, 0x02, 0x00, 0x04)); // PUBREL 4: no QoS 2 PUBLISH 4 is held

        assertThat(v5.writtenHex()).isEqualTo(hex(bytes(
                0x70, 0x03,             // PUBCOMP
                0x00, 0x04,             // packet identifier 4
                0x92)));                // 0x92 Packet Identifier not found
        assertThat(v5.isOpen()).isTrue();
    }
}
