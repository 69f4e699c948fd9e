package io.courtier.broker.integration;

import static io.courtier.testkit.MqttBytes.CLEAN_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log lines users grep read exactly as Mosquitto 2's. */
class LogWordingTest {

    private LogCapture log;
    private TestBroker broker;

    @BeforeEach
    void start() {
        log = LogCapture.broker();
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
        log.close();
    }

    private void awaitLine(String line) {
        await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().contains(line));
    }

    @Test
    void listenSocketLine() {
        // TestBroker listens on all addresses, port 0.
        assertThat(log.messages()).contains("Opening ipv4 listen socket on port 0.", "Opening ipv6 listen socket on port 0.");
    }

    @Test
    void connectAndDisconnectLines() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("foo", 60));
            c.expectConnack(0);
            awaitLine("New connection from 127.0.0.1:" + c.localPort() + " on port " + broker.port() + ".");
            awaitLine("New client connected from 127.0.0.1:" + c.localPort() + " as foo (p2, c1, k60).");
            c.send(MqttBytes.disconnect());
            assertThat(c.closedByBroker()).isTrue();
        }
        awaitLine("Client foo disconnected.");
        assertThat(log.contains("Client foo closed its connection.")).isFalse();
    }

    @Test
    void refusedLoginLineStartsAsMosquittosDoes() throws Exception {
        try (TestBroker closed = TestBroker.start(b -> b.allowAnonymous(false));
             RawClient c = RawClient.open(closed)) {
            c.send(MqttBytes.connect("anon", 60));
            c.expectConnack(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream().anyMatch(l ->
                    l.startsWith("Client <unknown> disconnected, not authorised.") && l.contains("anon")));
        }
    }

    @Test
    void verboseModeTracesPacketsAsMosquittoDoes() throws Exception {
        ch.qos.logback.classic.Logger courtier = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("courtier");
        ch.qos.logback.classic.Level was = courtier.getLevel();
        courtier.setLevel(ch.qos.logback.classic.Level.DEBUG); // what -v (log_type all) does
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("tracer", 60));
            c.expectConnack(0);
            c.subscribe(1, "t/#", 1);
            c.send(MqttBytes.publish("t/x", 1, false, 7, "hello"));
            awaitLine("Received PUBLISH from tracer (d0, q1, r0, m7, 't/x', ... (5 bytes))");
            awaitLine("Sending PUBACK to tracer (m7, rc0)");
            awaitLine("Sending CONNACK to tracer (0, 0)");
            awaitLine("Received SUBSCRIBE from tracer\n\tt/# (QoS 1)");
        } finally {
            courtier.setLevel(was);
        }
    }

    @Test
    void closedConnectionLine() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQIsdp", 3, 0, 30, "bar"));
            c.expectConnack(0);
            awaitLine("New client connected from 127.0.0.1:" + c.localPort() + " as bar (p1, c0, k30).");
            c.kill();
        }
        awaitLine("Client bar closed its connection.");
    }

    @Test
    void userNameIsShown() throws Exception {
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.packet(0x10, MqttBytes.concat(MqttBytes.string("MQTT"),
                    new byte[] {4, (byte) (CLEAN_SESSION | 0x80)}, MqttBytes.u16(60), MqttBytes.string("baz"),
                    MqttBytes.string("alice"))));
            c.expectConnack(0);
            awaitLine("New client connected from 127.0.0.1:" + c.localPort() + " as baz (p2, c1, k60, u'alice').");
        }
    }

    @Test
    void protocolViolationLines() throws Exception {
        try (RawClient c = RawClient.connected(broker, "rude")) {
            c.send(MqttBytes.subscribe(1, "a", 3));
            assertThat(c.closedByBroker()).isTrue();
            awaitLine("Client rude disconnected due to malformed packet (from 127.0.0.1:" + c.localPort()
                    + "): requested QoS 3 for \"a\" [MQTT-3-8.3-4]");
        }
        try (RawClient c = RawClient.connected(broker, "twice")) {
            c.send(MqttBytes.connect("twice", 60));
            assertThat(c.closedByBroker()).isTrue();
            awaitLine("Client twice disconnected due to protocol error (from 127.0.0.1:" + c.localPort()
                    + "): second CONNECT on one connection [MQTT-3.1.0-2]");
        }
        assertThat(log.messages()).doesNotContain("Client rude closed its connection.", "Client twice closed its connection.");
    }

    @Test
    void takeoverLine() throws Exception {
        try (RawClient first = RawClient.connected(broker, "dup");
             RawClient second = RawClient.connected(broker, "dup")) {
            assertThat(first.closedByBroker()).isTrue();
            awaitLine("Client dup already connected, closing old connection.");
            assertThat(second.readUntilPingresp()).as("the new connection works").isEmpty();
        }
    }
}
