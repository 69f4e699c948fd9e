package io.courtier.codec;

import static io.courtier.codec.Wire.bytes;
import static io.courtier.codec.Wire.decodeOne;
import static io.courtier.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP byte by byte, both ways: what we write is exactly these
 * bytes, and reading them gives the packet back. The layouts are MQTT 3.1.1 3.4 to 3.7 and
 * MQTT 5.0 3.4 to 3.7; every field is commented.
 */
class PublishAckWireTest {

    private static final Properties REASON_X = Properties.builder().add(PropertyId.REASON_STRING, "x").build();

    @Test
    void puback() {
        both(MqttVersion.V3_1_1, new Puback(7), bytes(
                0x40,                   // PUBACK, flags 0000
                0x02,                   // remaining length
                0x00, 0x07));           // packet identifier 7
        both(MqttVersion.V5, new Puback(7), bytes(
                0x40,                   // PUBACK
                0x02,                   // remaining length: Success and no properties are left out
                0x00, 0x07));           // packet identifier 7
        both(MqttVersion.V5, new Puback(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.NONE), bytes(
                0x40,                   // PUBACK
                0x03,                   // remaining length: no properties, so their length is left out
                0x00, 0x07,             // packet identifier 7
                0x10));                 // reason code: No matching subscribers
        both(MqttVersion.V5, new Puback(7, ReasonCode.NOT_AUTHORIZED, REASON_X), bytes(
                0x40,                   // PUBACK
                0x08,                   // remaining length
                0x00, 0x07,             // packet identifier 7
                0x87,                   // reason code: Not authorized
                0x04,                   // property length
                0x1F, 0x00, 0x01, 'x')); // reason string "x"
    }

    @Test
    void pubrec() {
        both(MqttVersion.V3_1_1, new Pubrec(300), bytes(
                0x50,                   // PUBREC, flags 0000
                0x02,                   // remaining length
                0x01, 0x2C));           // packet identifier 300
        both(MqttVersion.V5, new Pubrec(300, ReasonCode.QUOTA_EXCEEDED, Properties.NONE), bytes(
                0x50,                   // PUBREC
                0x03,                   // remaining length
                0x01, 0x2C,             // packet identifier 300
                0x97));                 // reason code: Quota exceeded
        both(MqttVersion.V5, new Pubrec(300, ReasonCode.SUCCESS, REASON_X), bytes(
                0x50,                   // PUBREC
                0x08,                   // remaining length: a Success code is written when properties follow
                0x01, 0x2C,             // packet identifier 300
                0x00,                   // reason code: Success
                0x04,                   // property length
                0x1F, 0x00, 0x01, 'x')); // reason string "x"
    }

    @Test
    void pubrel() {
        both(MqttVersion.V3_1_1, new Pubrel(1), bytes(
                0x62,                   // PUBREL, flags 0010 [MQTT-3.6.1-1]
                0x02,                   // remaining length
                0x00, 0x01));           // packet identifier 1
        both(MqttVersion.V5, new Pubrel(1), bytes(
                0x62,                   // PUBREL, flags 0010
                0x02,                   // remaining length: Success and no properties are left out
                0x00, 0x01));           // packet identifier 1
        both(MqttVersion.V5, new Pubrel(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE), bytes(
                0x62,                   // PUBREL, flags 0010
                0x03,                   // remaining length
                0x00, 0x01,             // packet identifier 1
                0x92));                 // reason code: Packet Identifier not found
    }

    @Test
    void pubcomp() {
        both(MqttVersion.V3_1_1, new Pubcomp(65535), bytes(
                0x70,                   // PUBCOMP, flags 0000
                0x02,                   // remaining length
                0xFF, 0xFF));           // packet identifier 65535
        both(MqttVersion.V5, new Pubcomp(65535, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, REASON_X), bytes(
                0x70,                   // PUBCOMP
                0x08,                   // remaining length
                0xFF, 0xFF,             // packet identifier 65535
                0x92,                   // reason code: Packet Identifier not found
                0x04,                   // property length
                0x1F, 0x00, 0x01, 'x')); // reason string "x"
    }

    @Test
    void beforeV5TheReasonCodeIsNotWritten() {
        // A v5 failure code has no place in a 3.1.1 acknowledgement: only the packet id goes out.
        assertThat(encode(new Puback(7, ReasonCode.NOT_AUTHORIZED, REASON_X), MqttVersion.V3_1_1))
                .containsExactly(bytes(0x40, 0x02, 0x00, 0x07));
    }

    @Test
    void withReasonKeepsTheTypeAndPacketId() {
        Properties why = REASON_X;
        assertThat(new Puback(3).withReason(ReasonCode.NOT_AUTHORIZED, why))
                .isEqualTo(new Puback(3, ReasonCode.NOT_AUTHORIZED, why));
        assertThat(new Pubrec(4).withReason(ReasonCode.QUOTA_EXCEEDED, why))
                .isEqualTo(new Pubrec(4, ReasonCode.QUOTA_EXCEEDED, why));
        assertThat(new Pubrel(5).withReason(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE))
                .isEqualTo(new Pubrel(5, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE));
        assertThat(new Pubcomp(6).withReason(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE))
                .isEqualTo(new Pubcomp(6, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE));
    }

    /** Written, the packet is exactly these bytes (encodedSize their length); read, they give it back. */
    private static void both(MqttVersion version, PublishAck ack, byte[] wire) {
        assertThat(encode(ack, version)).as("%s written in %s", ack, version).containsExactly(wire);
        assertThat(MqttEncoder.encodedSize(ack, version)).as("encodedSize of %s", ack).isEqualTo(wire.length);
        assertThat(decodeOne(version, wire)).as("%s read in %s", ack, version).isEqualTo(ack);
    }
}
