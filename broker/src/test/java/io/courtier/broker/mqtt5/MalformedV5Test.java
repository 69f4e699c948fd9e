package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Connack;
import io.courtier.codec.Disconnect;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Hand-made bad MQTT 5 packets from a connected client: the broker answers DISCONNECT with the
 * reason code the standard gives, closes that connection, and its other clients carry on.
 */
class MalformedV5Test extends Mqtt5Test {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // PUBLISH "t" QoS 0 with Message Expiry Interval twice: a Protocol Error (5.0 2.2.2.2).
                Arguments.of("duplicate property", bytes(0x30, 14, 0, 1, 't', 10,
                        0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 1), ReasonCode.PROTOCOL_ERROR),
                // Receive Maximum belongs to CONNECT/CONNACK: a Malformed Packet (5.0 2.2.2.2).
                Arguments.of("property not allowed in PUBLISH", bytes(0x30, 7, 0, 1, 't', 3, 0x21, 0, 1),
                        ReasonCode.MALFORMED_PACKET),
                // Mosquitto reads alias 0 as a Malformed Packet (ProtocolErrorParityTest).
                Arguments.of("topic alias 0", bytes(0x30, 7, 0, 1, 't', 3, 0x23, 0, 0),
                        ReasonCode.MALFORMED_PACKET),
                Arguments.of("topic alias above the maximum", bytes(0x30, 7, 0, 1, 't', 3, 0x23, 0, 11),
                        ReasonCode.TOPIC_ALIAS_INVALID),
                Arguments.of("unknown topic alias with an empty topic", bytes(0x30, 6, 0, 0, 3, 0x23, 0, 2),
                        ReasonCode.PROTOCOL_ERROR),
                Arguments.of("invalid reason code in PUBACK", bytes(0x40, 3, 0, 1, 0x8E),
                        ReasonCode.MALFORMED_PACKET),
                Arguments.of("invalid reason code in DISCONNECT", bytes(0xE0, 1, 0x05),
                        ReasonCode.MALFORMED_PACKET),
                Arguments.of("bad UTF-8 in a user property", bytes(0x30, 11, 0, 1, 't', 7,
                        0x26, 0, 1, 'k', 0, 1, 0xFF), ReasonCode.MALFORMED_PACKET),
                Arguments.of("subscription identifier in a client PUBLISH", bytes(0x30, 6, 0, 1, 't', 2, 0x0B, 5),
                        ReasonCode.PROTOCOL_ERROR),
                Arguments.of("AUTH without an authentication method", bytes(0xF0, 0),
                        ReasonCode.PROTOCOL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadPacketIsAnsweredWithTheRightReasonAndOthersCarryOn(String rule, byte[] packet, int reason)
            throws Exception {
        start();
        V5Client sub = client("bystander-sub");
        sub.subscribe("calm/#", 1);
        V5Client pub = client("bystander-pub");
        try (CodecClient raw = CodecClient.connect(port(), "culprit", Properties.NONE)) {
            raw.sendBytes(packet);
            assertThat(raw.next()).as(rule).isInstanceOfSatisfying(Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(reason));
            assertThat(raw.closedByBroker()).isTrue();
        }
        pub.publish("calm/after", "still here", 1);
        await().until(() -> sub.texts().contains("still here"));
    }

    @Test
    void aBadConnectIsAnsweredWithAConnackCarryingTheReason() throws Exception {
        start();
        try (CodecClient raw = new CodecClient(port())) {
            // CONNECT v5, client id "c", Session Expiry Interval twice.
            raw.sendBytes(bytes(0x10, 23, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 0, 10,
                    0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 1, 0, 1, 'c'));
            assertThat(raw.next()).isInstanceOfSatisfying(Connack.class,
                    c -> assertThat(c.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR));
            assertThat(raw.closedByBroker()).isTrue();
        }
    }
}
