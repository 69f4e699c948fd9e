package io.courtier.broker.parity;

import static io.courtier.testkit.Mqtt5Bytes.bytes;
import static io.courtier.testkit.Mqtt5Bytes.connect;
import static io.courtier.testkit.Mqtt5Bytes.publish;
import static io.courtier.testkit.Mqtt5Bytes.subscribe;
import static io.courtier.testkit.Mqtt5Bytes.unsubscribe;
import static io.courtier.testkit.MqttBytes.concat;
import static io.courtier.testkit.MqttBytes.packet;
import static io.courtier.testkit.MqttBytes.string;
import static io.courtier.testkit.MqttBytes.u16;
import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT 5 protocol violations after CONNECT: Courtier answers each with the DISCONNECT reason
 * code Debian's mosquitto 2.0.11 sends, then closes; the same bytes are sent to mosquitto to
 * show it does the same. Reason strings may follow the code in Courtier's DISCONNECT (the
 * client asked for problem information by default); the code is what clients act on.
 */
class ProtocolErrorParityTest {

    @TempDir
    static java.nio.file.Path tmp;
    static TestBroker courtier;

    @BeforeAll
    static void start() {
        courtier = TestBroker.start(b -> b.sysInterval = 0);
    }

    @AfterAll
    static void stop() {
        courtier.close();
    }

    private static final String DEEP = "/".repeat(201); // Mosquitto allows 200 separators

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("PUBLISH topic with a control character", publish("a\u0001b", 0, 0), "DISCONNECT 0x81"),
                Arguments.of("PUBLISH topic with a C1 control character", publish("a\u0085b", 1, 1),
                        "DISCONNECT 0x81"),
                Arguments.of("PUBLISH topic with a wildcard", publish("a/#", 0, 0), "DISCONNECT 0x82"),
                Arguments.of("PUBLISH empty topic without an alias", publish("", 0, 0), "DISCONNECT 0x82"),
                Arguments.of("PUBLISH with packet id 0", publish("t", 1, 0), "DISCONNECT 0x82"),
                Arguments.of("PUBLISH at QoS 3", packet(0x36, concat(string("t"), u16(1), bytes(0, 'x'))),
                        "DISCONNECT 0x81"),
                Arguments.of("PUBLISH topic alias 0", publish("t", 0, 0, bytes(0x23, 0, 0), 0), "DISCONNECT 0x81"),
                Arguments.of("PUBLISH topic alias above the maximum", publish("t", 0, 0, bytes(0x23, 0, 11), 0),
                        "DISCONNECT 0x94"),
                Arguments.of("PUBLISH property not allowed", publish("t", 0, 0, bytes(0x21, 0, 1), 0),
                        "DISCONNECT 0x81"),
                Arguments.of("PUBLISH topic with 201 levels", publish(DEEP, 1, 1), "DISCONNECT 0x82"),
                Arguments.of("SUBSCRIBE retain handling 3", subscribe(1, "t", 0x30), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE empty filter", subscribe(1, "", 0), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE without filters", packet(0x82, concat(u16(1), bytes(0))), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE misplaced #", subscribe(1, "a/#/b", 0), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE filter with a control character", subscribe(1, "a\u0001", 0),
                        "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE filter with 201 levels", subscribe(1, DEEP, 0), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE subscription identifier 0", subscribe(1, "t", 0, bytes(0x0B, 0)),
                        "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE reserved option bits", subscribe(1, "t", 0xC0), "DISCONNECT 0x81"),
                Arguments.of("SUBSCRIBE property not allowed", subscribe(1, "t", 0, bytes(0x01, 1)),
                        "DISCONNECT 0x81"),
                Arguments.of("UNSUBSCRIBE without filters", packet(0xA2, concat(u16(1), bytes(0))),
                        "DISCONNECT 0x81"),
                Arguments.of("UNSUBSCRIBE empty filter", unsubscribe(1, ""), "DISCONNECT 0x81"),
                Arguments.of("UNSUBSCRIBE misplaced #", unsubscribe(1, "a/#/b"), "DISCONNECT 0x81"),
                Arguments.of("UNSUBSCRIBE filter with a control character", unsubscribe(1, "a\u007f"),
                        "DISCONNECT 0x81"),
                Arguments.of("UNSUBSCRIBE filter with 201 levels", unsubscribe(1, DEEP), "DISCONNECT 0x81"),
                Arguments.of("reserved packet type 0", bytes(0x00, 0), "DISCONNECT 0x82"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void courtierAnswersWithMosquittosReasonCode(String rule, byte[] packet, String expected) throws Exception {
        assertThat(exchange(courtier.port(), connect("culprit"), packet)).as(rule)
                .containsExactly("CONNACK 0x00", expected, "CLOSED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void mosquittoAnswersTheSame(String rule, byte[] packet, String expected) throws Exception {
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "allow_anonymous true")) {
            assertThat(exchange(m.port(), connect("culprit"), packet)).as(rule)
                    .containsExactly("CONNACK 0x00", expected, "CLOSED");
        }
    }

    /** The same mistakes from a 3.1.1 client: both brokers close the connection without a word. */
    static Stream<Arguments> violations311() {
        return Stream.of(
                Arguments.of("PUBLISH topic with a control character",
                        io.courtier.testkit.MqttBytes.publish("a\u0001b", 1, false, 1, "x")),
                Arguments.of("SUBSCRIBE filter with a control character",
                        io.courtier.testkit.MqttBytes.subscribe(1, "a\u007f", 0)),
                Arguments.of("SUBSCRIBE filter with 201 levels", io.courtier.testkit.MqttBytes.subscribe(1,
                        DEEP, 0)),
                Arguments.of("PUBLISH topic with 201 levels",
                        io.courtier.testkit.MqttBytes.publish(DEEP, 1, false, 1, "x")));
    }

    @ParameterizedTest(name = "3.1.1 {0}")
    @MethodSource("violations311")
    void a311ClientIsClosedOnAsByMosquitto(String rule, byte[] packet) throws Exception {
        byte[] connect = io.courtier.testkit.MqttBytes.connect("culprit", 60);
        assertThat(exchange(courtier.port(), connect, packet)).as(rule).containsExactly("CONNACK 0x00", "CLOSED");
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "allow_anonymous true")) {
            assertThat(exchange(m.port(), connect, packet)).as(rule).containsExactly("CONNACK 0x00", "CLOSED");
        }
    }

    /**
     * A QoS 2 PUBLISH may be resent (DUP) while its PUBREL is awaited, and is acknowledged again
     * without being routed twice; a third copy of it is a Protocol Error for Mosquitto
     * (its test 03-publish-qos2-dup), DISCONNECT 0x82 for v5 and a close for 3.1.1.
     */
    static Stream<Arguments> thirdCopies() {
        byte[] v5 = publish("t", 2, 1, new byte[0], 0x08);
        byte[] v311 = io.courtier.testkit.MqttBytes.publish("t", 2, false, true, 1, bytes('x'));
        return Stream.of(
                Arguments.of("v5", connect("dup2"), v5, List.of("PUBREC", "PUBREC", "DISCONNECT 0x82", "CLOSED")),
                Arguments.of("3.1.1", io.courtier.testkit.MqttBytes.connect("dup2", 60), v311,
                        List.of("PUBREC", "PUBREC", "CLOSED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thirdCopies")
    void aThirdCopyOfAQos2PublishBreaksTheProtocol(String version, byte[] connect, byte[] publish,
                                                   List<String> expected) throws Exception {
        assertThat(pubrecsWithoutCode(exchange(courtier.port(), connect, publish, publish, publish)))
                .isEqualTo(expected);
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "allow_anonymous true")) {
            assertThat(pubrecsWithoutCode(exchange(m.port(), connect, publish, publish, publish)))
                    .isEqualTo(expected);
        }
    }

    /**
     * PUBREC's reason code is where the brokers differ on purpose: Courtier routes QoS 2 on
     * PUBLISH and can say 0x10 "No matching subscribers" (README, "Where Courtier differs").
     */
    private static List<String> pubrecsWithoutCode(List<String> seen) {
        return seen.stream().skip(1).map(p -> p.startsWith("PUBREC") ? "PUBREC" : p).toList();
    }

    /**
     * Sends the first packet (a CONNECT) and, once its answer is in, the others together; then
     * reads what comes back until the broker closes (or 3 s of silence). The answer to CONNECT
     * comes first in the list.
     */
    static List<String> exchange(int port, byte[]... packets) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packets[0]);
            List<String> seen = new java.util.ArrayList<>();
            RawClient.Packet connack = c.readOrNullWithin(3_000);
            if (connack == null) {
                seen.add("CLOSED");
                return seen;
            }
            seen.add(connack.describe());
            if (packets.length > 1) {
                c.send(concat(java.util.Arrays.copyOfRange(packets, 1, packets.length)));
            }
            seen.addAll(c.readToEnd(3_000));
            return seen;
        }
    }
}
