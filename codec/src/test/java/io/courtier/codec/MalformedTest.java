package io.courtier.codec;

import static io.courtier.codec.Wire.bytes;
import static io.courtier.codec.Wire.concat;
import static io.courtier.codec.Wire.ints;
import static io.courtier.codec.Wire.pkt;
import static io.courtier.codec.Wire.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every wire rule the decoder enforces, each broken once, with the reason code it must carry. */
class MalformedTest {

    private static final int MALFORMED = ReasonCode.MALFORMED_PACKET;
    private static final int PROTOCOL = ReasonCode.PROTOCOL_ERROR;

    private static byte[] w(int[]... parts) {
        return bytes(concat(parts));
    }

    /** A minimal valid 3.1.1 CONNECT body after the fixed header, with the given flags. */
    private static int[] connect311(int flags, int[] payload) {
        return concat(str("MQTT"), ints(4, flags, 0, 60), payload);
    }

    static Stream<Arguments> cases() {
        MqttVersion v3 = MqttVersion.V3_1_1;
        MqttVersion v5 = MqttVersion.V5;
        return Stream.of(
                // Fixed header.
                // Reason codes as Mosquitto answers them (the broker's ProtocolErrorParityTest holds them against it).
                Arguments.of("packet type 0", v3, bytes(0x00, 0), PROTOCOL),
                Arguments.of("AUTH before MQTT 5", v3, bytes(0xF0, 0), MALFORMED),
                Arguments.of("PUBREL flags 0000", v3, bytes(0x60, 2, 0, 1), MALFORMED),
                Arguments.of("SUBSCRIBE flags 0000", v3, pkt(0x80, ints(0, 1), str("a"), ints(0)), MALFORMED),
                Arguments.of("UNSUBSCRIBE flags 0011", v3, pkt(0xA3, ints(0, 1), str("a")), MALFORMED),
                Arguments.of("PINGREQ with flags", v3, bytes(0xC1, 0), MALFORMED),
                Arguments.of("PUBLISH QoS 3", v3, pkt(0x36, str("a"), ints(0, 1)), MALFORMED),
                Arguments.of("DUP on QoS 0", v3, pkt(0x38, str("a")), MALFORMED),
                Arguments.of("remaining length over 4 bytes", v3, bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), MALFORMED),
                // Lengths that do not match the content.
                Arguments.of("PINGREQ with a body", v3, bytes(0xC0, 1, 0), MALFORMED),
                Arguments.of("PUBACK with trailing bytes in 3.1.1", v3, bytes(0x40, 3, 0, 1, 0), MALFORMED),
                Arguments.of("string longer than the packet", v3, pkt(0x30, ints(0, 9, 'a')), MALFORMED),
                Arguments.of("PUBACK too short", v3, bytes(0x40, 1, 0), MALFORMED),
                // Packet identifiers.
                Arguments.of("PUBLISH QoS 1 with packet id 0", v3, pkt(0x32, str("a"), ints(0, 0)), PROTOCOL),
                Arguments.of("PUBACK packet id 0", v3, bytes(0x40, 2, 0, 0), MALFORMED),
                Arguments.of("SUBSCRIBE packet id 0", v3, pkt(0x82, ints(0, 0), str("a"), ints(0)), MALFORMED),
                // UTF-8.
                Arguments.of("U+0000 in topic", v3, bytes(0x30, 4, 0, 2, 'a', 0), MALFORMED),
                Arguments.of("control character U+0001 in topic", v3, bytes(0x30, 4, 0, 2, 'a', 1), MALFORMED),
                Arguments.of("control character U+007F in a filter", v3, pkt(0x82, ints(0, 1), ints(0, 1, 0x7F), ints(0)),
                        MALFORMED),
                Arguments.of("C1 control character U+0085 in topic", v3, bytes(0x30, 4, 0, 2, 0xC2, 0x85), MALFORMED),
                Arguments.of("control character in a client id", v3, pkt(0x10, connect311(0x02, str("a\u0001"))),
                        MALFORMED),
                Arguments.of("two subscription identifiers in SUBSCRIBE", v5,
                        pkt(0x82, ints(0, 1, 4, 0x0B, 1, 0x0B, 2), str("a"), ints(0)), PROTOCOL),
                Arguments.of("UTF-16 surrogate in topic", v3, bytes(0x30, 5, 0, 3, 0xED, 0xA0, 0x80), MALFORMED),
                Arguments.of("overlong '/' in topic", v3, bytes(0x30, 4, 0, 2, 0xC0, 0xAF), MALFORMED),
                Arguments.of("truncated sequence in topic", v3, bytes(0x30, 3, 0, 1, 0xE2), MALFORMED),
                Arguments.of("lone continuation byte", v3, bytes(0x30, 3, 0, 1, 0x80), MALFORMED),
                Arguments.of("code point above U+10FFFF", v3, bytes(0x30, 6, 0, 4, 0xF4, 0x90, 0x80, 0x80), MALFORMED),
                // Topics.
                Arguments.of("wildcard in PUBLISH topic", v3, pkt(0x30, str("a/+")), PROTOCOL),
                Arguments.of("'#' in PUBLISH topic", v3, pkt(0x30, str("#")), PROTOCOL),
                Arguments.of("empty topic in 3.1.1", v3, pkt(0x30, str("")), PROTOCOL),
                Arguments.of("empty topic without alias in 5", v5, pkt(0x30, str(""), ints(0)), PROTOCOL),
                Arguments.of("'#' not last", v3, pkt(0x82, ints(0, 1), str("#/a"), ints(0)), MALFORMED),
                Arguments.of("'+' inside a level", v3, pkt(0x82, ints(0, 1), str("a+/"), ints(0)), MALFORMED),
                Arguments.of("shared filter without group", v3, pkt(0x82, ints(0, 1), str("$share//a/"), ints(0)), MALFORMED),
                // SUBSCRIBE / UNSUBSCRIBE payloads and options.
                Arguments.of("empty SUBSCRIBE", v3, bytes(0x82, 2, 0, 1), MALFORMED),
                Arguments.of("empty UNSUBSCRIBE", v3, bytes(0xA2, 2, 0, 1), MALFORMED),
                Arguments.of("SUBSCRIBE QoS 3", v3, pkt(0x82, ints(0, 1), str("a"), ints(3)), MALFORMED),
                Arguments.of("3.1.1 subscription reserved bits", v3, pkt(0x82, ints(0, 1), str("a"), ints(0x04)), MALFORMED),
                Arguments.of("v5 subscription reserved bits", v5, pkt(0x82, ints(0, 1, 0), str("a"), ints(0x40)), MALFORMED),
                Arguments.of("v5 retain handling 3", v5, pkt(0x82, ints(0, 1, 0), str("a"), ints(0x30)), MALFORMED),
                Arguments.of("v5 no local on shared", v5, pkt(0x82, ints(0, 1, 0), str("$share/g/a"), ints(0x04)), PROTOCOL),
                // MQTT 5 properties.
                Arguments.of("duplicate property", v5, pkt(0x30, str("t"), ints(10, 0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 1)), PROTOCOL),
                Arguments.of("property not allowed in packet", v5, pkt(0x30, str("t"), ints(3, 0x21, 0, 1)), MALFORMED),
                Arguments.of("unknown property", v5, pkt(0x30, str("t"), ints(2, 0x7F, 0)), MALFORMED),
                Arguments.of("topic alias 0", v5, pkt(0x30, str("t"), ints(3, 0x23, 0, 0)), MALFORMED),
                Arguments.of("subscription identifier 0", v5, pkt(0x82, ints(0, 1, 2, 0x0B, 0), str("a"), ints(0)), MALFORMED),
                Arguments.of("payload format indicator 2", v5, pkt(0x30, str("t"), ints(2, 0x01, 2)), PROTOCOL),
                Arguments.of("property length past the packet", v5, pkt(0x30, str("t"), ints(9)), MALFORMED),
                Arguments.of("variable byte integer of 5 bytes", v5, pkt(0x30, str("t"), ints(0xFF, 0xFF, 0xFF, 0xFF, 0x01)), MALFORMED),
                Arguments.of("bad UTF-8 in user property", v5, pkt(0x30, str("t"), ints(7, 0x26), str("k"), ints(0, 1, 0xFF)), MALFORMED),
                Arguments.of("PUBACK reason 0x8E", v5, bytes(0x40, 3, 0, 1, 0x8E), MALFORMED),
                Arguments.of("DISCONNECT reason 0x05", v5, bytes(0xE0, 1, 0x05), MALFORMED),
                Arguments.of("CONNACK reserved flags", v3, bytes(0x20, 2, 0x02, 0), MALFORMED),
                Arguments.of("CONNACK return code 6", v3, bytes(0x20, 2, 0, 6), MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(String rule, MqttVersion version, byte[] data, int reasonCode) {
        assertRejected(new EmbeddedChannel(new MqttDecoder(0, version)), data, reasonCode);
    }

    static Stream<Arguments> connects() {
        return Stream.of(
                Arguments.of("reserved connect flag", pkt(0x10, connect311(0x03, str("c"))), MALFORMED),
                Arguments.of("will QoS without will flag", pkt(0x10, connect311(0x0A, str("c"))), MALFORMED),
                Arguments.of("will retain without will flag", pkt(0x10, connect311(0x22, str("c"))), MALFORMED),
                Arguments.of("will QoS 3", pkt(0x10, connect311(0x1E, concat(str("c"), str("w"), str("p")))), MALFORMED),
                Arguments.of("password without user name", pkt(0x10, connect311(0x42, concat(str("c"), str("p")))), MALFORMED),
                Arguments.of("wildcard will topic", pkt(0x10, connect311(0x06, concat(str("c"), str("w/#"), str("p")))), ReasonCode.TOPIC_NAME_INVALID),
                Arguments.of("unknown protocol level", pkt(0x10, str("MQTT"), ints(6, 2, 0, 60), str("c")), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
                Arguments.of("level 3 named MQTT", pkt(0x10, str("MQTT"), ints(3, 2, 0, 60), str("c")), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
                Arguments.of("unknown protocol name", pkt(0x10, str("MQTX"), ints(4, 2, 0, 60), str("c")), PROTOCOL),
                Arguments.of("3.1 client id of 24 bytes", pkt(0x10, str("MQIsdp"), ints(3, 2, 0, 60), str("x".repeat(24))), ReasonCode.CLIENT_IDENTIFIER_NOT_VALID),
                Arguments.of("first packet not CONNECT", bytes(0xC0, 0), PROTOCOL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connects")
    void connectRejected(String rule, byte[] data, int reasonCode) {
        assertRejected(Wire.server(), data, reasonCode);
    }

    private static void assertRejected(EmbeddedChannel ch, byte[] data, int reasonCode) {
        try {
            assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(data)))
                    .isInstanceOfSatisfying(MqttDecoderException.class,
                            e -> assertThat(e.reasonCode()).as(e.getMessage()).isEqualTo(reasonCode));
            assertThat(Wire.drain(ch)).isEmpty();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void tooLargeIsRefusedFromTheFixedHeaderAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(100, MqttVersion.V3_1_1));
        // Only the fixed header of a 1,000-byte PUBLISH arrives: refused before any body is buffered.
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes(0x30, 0xE8, 0x07))))
                .isInstanceOfSatisfying(MqttDecoderException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE));
        ch.finishAndReleaseAll();
    }

    @Test
    void nothingIsDecodedAfterAnError() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V3_1_1));
        // A bad PINGREQ, then a good one in the same read, then another good one.
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes(0xC1, 0, 0xC0, 0))))
                .isInstanceOf(MqttDecoderException.class);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(0xC0, 0)));
        assertThat(Wire.drain(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void contentNeverRunsIntoTheNextPacket() {
        // Packets are read in place in the cumulation, not from slices: a length inside one
        // packet must still stop at its own end, whatever bytes follow it in the same read.
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V3_1_1));
        int[] topicPastItsPacket = concat(ints(0x30, 3, 0, 5, 'a'), ints(0x30, 3, 0, 1, 'b'));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes(topicPastItsPacket))))
                .isInstanceOfSatisfying(MqttDecoderException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET));
        assertThat(Wire.drain(ch)).isEmpty();
        ch.finishAndReleaseAll();

        EmbeddedChannel v5 = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V5));
        int[] propertiesPastTheirPacket = concat(ints(0x30, 4, 0, 1, 't', 5), ints(0xC0, 0, 0xC0, 0));
        assertThatThrownBy(() -> v5.writeInbound(Unpooled.wrappedBuffer(bytes(propertiesPastTheirPacket))))
                .isInstanceOf(MqttDecoderException.class);
        assertThat(Wire.drain(v5)).isEmpty();
        v5.finishAndReleaseAll();
    }

    @Test
    void packetsSharingOneReadEachGetTheirOwnPayload() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V3_1_1));
        int[] two = concat(ints(0x30, 5, 0, 1, 't', 'x', 'y'), ints(0x30, 4, 0, 1, 't', 'z'), ints(0xC0, 0));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(two)));
        java.util.List<MqttPacket> packets = Wire.drain(ch);
        try {
            assertThat(packets).hasSize(3);
            assertThat(((Publish) packets.get(0)).payload().toString(java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("xy");
            assertThat(((Publish) packets.get(1)).payload().toString(java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("z");
            assertThat(packets.get(2)).isSameAs(Pingreq.INSTANCE);
        } finally {
            Wire.release(packets);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void versionIsKnownWhenAConnectIsRejectedLate() {
        MqttDecoder decoder = new MqttDecoder(0);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] data = pkt(0x10, str("MQIsdp"), ints(3, 2, 0, 60), str("x".repeat(24)));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(data))).isInstanceOf(MqttDecoderException.class);
        // The broker answers CONNACK 0x02 in 3.1 form: it needs the version the client spoke.
        assertThat(decoder.version()).isEqualTo(MqttVersion.V3_1);
        ch.finishAndReleaseAll();
    }
}
