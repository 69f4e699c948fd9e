package io.courtier.broker.parity;

import static io.courtier.testkit.Mqtt5Bytes.bytes;
import static io.courtier.testkit.MqttBytes.concat;
import static io.courtier.testkit.MqttBytes.packet;
import static io.courtier.testkit.MqttBytes.string;
import static io.courtier.testkit.MqttBytes.u16;
import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.Mqtt5Bytes;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONNECT held against Debian's mosquitto 2.0.11: strings with control characters are refused,
 * and an accepted MQTT 5 client reads the same CONNACK, byte for byte, from both brokers.
 */
class ConnectParityTest {

    @TempDir
    Path tmp;

    /** 3.1.1 CONNECT with a user name (clean session). */
    private static byte[] connectWithUsername(String clientId, String username) {
        return packet(0x10, concat(string("MQTT"), bytes(4, 0x82), u16(60), string(clientId), string(username)));
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("client id with U+0001", MqttBytes.connect("a\u0001b", 60),
                        Mqtt5Bytes.connect("a\u0001b")),
                Arguments.of("client id with U+007F", MqttBytes.connect("a\u007fb", 60),
                        Mqtt5Bytes.connect("a\u007fb")),
                Arguments.of("client id with U+0085", MqttBytes.connect("a\u0085b", 60),
                        Mqtt5Bytes.connect("a\u0085b")),
                Arguments.of("user name with U+001F", connectWithUsername("u", "a\u001fb"),
                        Mqtt5Bytes.connectWithUsername("u", "a\u001fb")),
                Arguments.of("user name with U+009F", connectWithUsername("u", "a\u009fb"),
                        Mqtt5Bytes.connectWithUsername("u", "a\u009fb")),
                Arguments.of("will topic with U+0001", MqttBytes.connectWithWill("w", MqttBytes.CLEAN_SESSION, 60,
                        "a\u0001b", 0, "gone"), Mqtt5Bytes.connectWithWill("w", "a\u0001b")));
    }

    /** 3.1.1 has no code for it: both brokers close without CONNACK, as for any malformed CONNECT. */
    @ParameterizedTest(name = "3.1.1 {0}")
    @MethodSource("controlCharacters")
    void aControlCharacterInA311ConnectClosesWithoutConnack(String what, byte[] v311, byte[] v5) throws Exception {
        try (TestBroker courtier = TestBroker.start()) {
            assertThat(ProtocolErrorParityTest.exchange(courtier.port(), v311)).as(what).containsExactly("CLOSED");
        }
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "allow_anonymous true")) {
            assertThat(ProtocolErrorParityTest.exchange(m.port(), v311)).as(what).containsExactly("CLOSED");
        }
    }

    /**
     * MQTT 5: refused as malformed. Courtier says so with CONNACK 0x81 before it closes (MQTT
     * 5.0 4.13.1 allows it, and the client learns why); mosquitto closes without a word. Both refuse.
     */
    @ParameterizedTest(name = "v5 {0}")
    @MethodSource("controlCharacters")
    void aControlCharacterInAV5ConnectIsRefusedAsMalformed(String what, byte[] v311, byte[] v5) throws Exception {
        try (TestBroker courtier = TestBroker.start()) {
            assertThat(ProtocolErrorParityTest.exchange(courtier.port(), v5)).as(what)
                    .containsExactly("CONNACK 0x81", "CLOSED");
        }
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "allow_anonymous true")) {
            assertThat(ProtocolErrorParityTest.exchange(m.port(), v5)).as(what).containsExactly("CLOSED");
        }
    }

    @Test
    void aPasswordMayHoldAnyBytes() throws Exception {
        byte[] connect = packet(0x10, concat(string("MQTT"), bytes(5, 0xC2), u16(60), bytes(0), string("pw"),
                string("u"), string("a\u0001b")));
        try (TestBroker courtier = TestBroker.start()) {
            assertThat(ProtocolErrorParityTest.exchange(courtier.port(), connect)).startsWith("CONNACK 0x00");
        }
    }

    static Stream<Arguments> connects() {
        List<String> limits = List.of("retain_available false", "max_packet_size 5000", "max_qos 1",
                "max_keepalive 30", "max_inflight_messages 7", "max_topic_alias 4");
        return Stream.of(
                Arguments.of("defaults, keep alive 60", List.of(), Mqtt5Bytes.connect("c", 60, new byte[0])),
                Arguments.of("defaults, keep alive 0", List.of(), Mqtt5Bytes.connect("c", 0, new byte[0])),
                Arguments.of("defaults, assigned id", List.of(), Mqtt5Bytes.connect("", 60, new byte[0])),
                Arguments.of("limits, keep alive 60", limits, Mqtt5Bytes.connect("c", 60, new byte[0])),
                Arguments.of("limits, keep alive 20", limits, Mqtt5Bytes.connect("c", 20, new byte[0])),
                Arguments.of("limits, keep alive 0", limits, Mqtt5Bytes.connect("c", 0, new byte[0])),
                Arguments.of("limits, assigned id", limits, Mqtt5Bytes.connect("", 60, new byte[0])));
    }

    /**
     * The CONNACK's properties come in Mosquitto's order with Mosquitto's values: Topic Alias
     * Maximum, Server Keep Alive (max_keepalive when the client asks for more or for none),
     * Assigned Client Identifier (auto- and an upper-case UUID), Retain Available, Maximum
     * Packet Size, Receive Maximum, Maximum QoS. Both brokers run the same configuration file.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("connects")
    void theConnackIsMosquittosByteForByte(String what, List<String> lines, byte[] connect) throws Exception {
        String[] conf = concatLines("allow_anonymous true", lines);
        String theirs;
        try (MosquittoBroker m = MosquittoBroker.start(tmp, conf)) {
            theirs = connack(m.port(), connect);
        }
        Path ours = MosquittoBroker.config(tmp, MosquittoBroker.freePort(), conf);
        try (Broker courtier = Broker.start(ConfigParser.parse(ours).config(), "test")) {
            assertThat(connack(courtier.port(), connect)).as(what).isEqualTo(theirs);
        }
    }

    private static String[] concatLines(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toArray(String[]::new);
    }

    /** The CONNACK's bytes in hex, an assigned identifier's random part masked ("auto-XXXXXXXX-..."). */
    private static String connack(int port, byte[] connect) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            RawClient.Packet p = c.read(RawClient.CONNACK);
            String text = new String(p.body(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replaceAll("auto-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}",
                            "auto-XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX");
            return Integer.toHexString(p.firstByte()) + " "
                    + HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
