package io.courtier.broker.integration;

import static io.courtier.testkit.MqttBytes.CLEAN_SESSION;
import static io.courtier.testkit.MqttBytes.concat;
import static io.courtier.testkit.MqttBytes.connect;
import static io.courtier.testkit.MqttBytes.packet;
import static io.courtier.testkit.MqttBytes.publish;
import static io.courtier.testkit.MqttBytes.string;
import static io.courtier.testkit.MqttBytes.subscribe;
import static io.courtier.testkit.MqttBytes.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that breaks the protocol is closed, one log line says why, no stack trace reaches
 * the log, and the clients around it carry on. Bytes are written by hand on a plain socket.
 */
class MalformedInputTest {

    // One broker and one bystander for the whole class: each offence must leave both working,
    // which is the point, and it spares a broker start and a Paho connect per case.
    private static TestBroker broker;
    private static LogCapture log;
    private static MqttClient bystander;
    private static final Inbox bystanderInbox = new Inbox();

    @BeforeAll
    static void start() throws Exception {
        log = LogCapture.broker();
        broker = TestBroker.start(b -> { }, 2_000); // short connect timeout, with slack for a busy machine
        bystander = Paho.connect(broker, "bystander", bystanderInbox);
        bystander.subscribe("still/alive", 1);
    }

    @AfterAll
    static void stop() {
        Paho.closeQuietly(bystander);
        broker.close();
        log.close();
    }

    /** After each offence: the well-behaved client still publishes and receives. */
    private void assertOthersCarryOn() throws Exception {
        int before = bystanderInbox.size();
        bystander.publish("still/alive", "yes".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> bystanderInbox.size() == before + 1);
        assertThat(bystander.isConnected()).isTrue();
        assertThat(log.anyThrowable()).as("stack trace in the log").isFalse();
    }

    private static final java.util.concurrent.atomic.AtomicInteger OFFENDERS = new java.util.concurrent.atomic.AtomicInteger();

    static Stream<Arguments> offencesAfterConnect() {
        return Stream.of(
                Arguments.of("SUBSCRIBE with reserved flags 0000 instead of 0010",
                        packet(0x80, concat(u16(1), string("a"), new byte[] {0}))),
                Arguments.of("PINGREQ with a reserved flag set", new byte[] {(byte) 0xC1, 0}),
                Arguments.of("PUBLISH with QoS 3", packet(0x36, concat(string("a"), u16(1)))),
                Arguments.of("remaining length over 4 bytes",
                        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}),
                Arguments.of("'+' in a PUBLISH topic", publish("a/+/c", 0, false, 0, "x")),
                Arguments.of("'#' in a PUBLISH topic", publish("a/#", 1, false, 1, "x")),
                Arguments.of("SUBSCRIBE asking for QoS 3", subscribe(1, "a/b", 3)),
                Arguments.of("SUBSCRIBE with an invalid filter", subscribe(1, "a/b#", 0)),
                Arguments.of("SUBSCRIBE with no filter at all", packet(0x82, u16(1))),
                Arguments.of("invalid UTF-8 in a topic",
                        packet(0x30, concat(new byte[] {0, 2, (byte) 0xC3, 0x28}, "x".getBytes()))),
                Arguments.of("U+0000 in a topic", publish("a\u0000b", 0, false, 0, "x")),
                Arguments.of("a UTF-16 surrogate encoded in a topic",
                        packet(0x30, concat(new byte[] {0, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, "x".getBytes()))),
                Arguments.of("a packet shorter than its own fields (truncated topic)",
                        packet(0x30, new byte[] {0, 10, 'a', 'b'})),
                Arguments.of("a QoS 1 PUBLISH truncated before its packet id", packet(0x32, string("a"))),
                Arguments.of("a second CONNECT", connect("again", 60)),
                Arguments.of("a CONNACK from a client", packet(0x20, new byte[] {0, 0})),
                Arguments.of("packet type 0", new byte[] {0x00, 0}),
                Arguments.of("packet type 15 (AUTH) on 3.1.1", new byte[] {(byte) 0xF0, 0}),
                Arguments.of("a PUBLISH with packet id 0 at QoS 1", publish("a", 1, false, 0, "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("offencesAfterConnect")
    void aConnectedClientBreakingTheProtocolIsClosed(String offence, byte[] bytes) throws Exception {
        String id = "offender-" + OFFENDERS.incrementAndGet();
        try (RawClient offender = RawClient.connected(broker, id)) {
            offender.send(bytes);
            assertThat(offender.closedByBroker()).as("closed after " + offence).isTrue();
        }
        // One line, in Mosquitto's words, naming the client, its address and the rule.
        await().atMost(Duration.ofSeconds(5)).until(() -> log.messages().stream().anyMatch(m ->
                m.matches("Client " + id + " disconnected due to (malformed packet|protocol error) \\(from 127\\.0\\.0\\.1:\\d+\\): .+")));
        assertThat(log.messages()).noneMatch(m -> m.equals("Client " + id + " closed its connection."));
        assertOthersCarryOn();
    }

    static Stream<Arguments> badFirstPackets() {
        return Stream.of(
                Arguments.of("a PUBLISH before CONNECT", publish("a", 0, false, 0, "x")),
                Arguments.of("a PINGREQ before CONNECT", MqttBytes.pingreq()),
                Arguments.of("CONNECT with the reserved flag set", connect("MQTT", 4, CLEAN_SESSION | 1, 60, "x")),
                Arguments.of("CONNECT with a wrong protocol name", connect("MQTX", 4, CLEAN_SESSION, 60, "x")),
                Arguments.of("CONNECT with will QoS but no will flag", connect("MQTT", 4, CLEAN_SESSION | 0x08, 60, "x")),
                Arguments.of("CONNECT with a password but no user name",
                        packet(0x10, concat(string("MQTT"), new byte[] {4, (byte) (CLEAN_SESSION | 0x40)}, u16(60),
                                string("x"), string("secret")))),
                Arguments.of("CONNECT truncated in its client id",
                        packet(0x10, concat(string("MQTT"), new byte[] {4, CLEAN_SESSION}, u16(60), new byte[] {0, 9, 'a'}))),
                Arguments.of("CONNECT with invalid UTF-8 in the client id",
                        packet(0x10, concat(string("MQTT"), new byte[] {4, CLEAN_SESSION}, u16(60),
                                new byte[] {0, 1, (byte) 0xFF}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFirstPackets")
    void aBadFirstPacketClosesTheSocketWithoutCONNACKSuccess(String offence, byte[] bytes) throws Exception {
        try (RawClient offender = RawClient.open(broker)) {
            offender.send(bytes);
            assertThat(offender.closedByBroker()).as("closed after " + offence).isTrue();
        }
        assertOthersCarryOn();
    }

    @Test
    void anUnsupportedProtocolLevelIsRefusedWithConnack1() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQTT", 7, CLEAN_SESSION, 60, "future"));
            c.expectConnack(0x01);
            assertThat(c.closedByBroker()).isTrue();
        }
        assertOthersCarryOn();
    }

    @Test
    void anEmptyClientIdWithCleanSession0IsRefusedWithConnack2() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQTT", 4, 0, 60, ""));
            c.expectConnack(0x02);
            assertThat(c.closedByBroker()).isTrue();
        }
        assertOthersCarryOn();
    }

    @Test
    void anEmptyClientIdWithACleanSessionIsGivenOne() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQTT", 4, CLEAN_SESSION, 60, ""));
            c.expectConnack(0x00);
            assertThat(c.readUntilPingresp()).isEmpty();
            // auto_id_prefix ("auto-") and upper-case hex, as Mosquitto names them.
            String pattern = "New client connected from 127\\.0\\.0\\.1:" + c.localPort()
                    + " as auto-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12} \\(p2, c1, k60\\)\\.";
            await().atMost(Duration.ofSeconds(5)).until(() -> log.messages().stream().anyMatch(m -> m.matches(pattern)));
        }
    }

    @Test
    void mqtt31RefusesClientIdsOver23Bytes() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQIsdp", 3, CLEAN_SESSION, 60, "x".repeat(24)));
            c.expectConnack(0x02);
            assertThat(c.closedByBroker()).isTrue();
        }
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQIsdp", 3, CLEAN_SESSION, 60, "x".repeat(23)));
            c.expectConnack(0x00);
        }
        assertOthersCarryOn();
    }

    @Test
    void mqtt311AcceptsLongClientIds() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(connect("MQTT", 4, CLEAN_SESSION, 60, "x".repeat(200)));
            c.expectConnack(0x00);
        }
    }

    @Test
    void aSocketThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RawClient silent = RawClient.open(broker)) {
            assertThat(silent.closedByBroker()).isTrue();
            String line = "Client 127.0.0.1:" + silent.localPort() + " did not send CONNECT in time, disconnecting.";
            await().atMost(Duration.ofSeconds(5)).until(() -> log.messages().contains(line));
        }
        assertOthersCarryOn();
    }

    @Test
    void aSocketThatSendsHalfAConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RawClient slow = RawClient.open(broker)) {
            slow.send(new byte[] {0x10, 20, 0, 4, 'M'});
            assertThat(slow.closedByBroker()).isTrue();
        }
        assertOthersCarryOn();
    }
}
