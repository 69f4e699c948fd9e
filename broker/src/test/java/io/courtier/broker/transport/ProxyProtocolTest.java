package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.security.TestCertificates;
import io.courtier.broker.session.Session;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enable_proxy_protocol 1|2} on real listeners: the test writes the PROXY header itself,
 * byte for byte from HAProxy's proxy-protocol.txt, before its MQTT CONNECT, as a load balancer
 * would, and checks the broker takes the client's address from it (log lines, the console's
 * client list) and, with v2, the TLS facts the proxy passed on (certificate name as user name,
 * then the ACL on that name).
 */
class ProxyProtocolTest {

    @TempDir
    Path tmp;

    private Broker start(String... lines) throws Exception {
        Path conf = tmp.resolve("proxy.conf");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        return Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    /** A socket to the broker that has already sent these bytes (a PROXY header). */
    private static Socket proxied(Broker broker, byte[] header) throws IOException {
        Socket s = new Socket("127.0.0.1", broker.port());
        s.getOutputStream().write(header);
        return s;
    }

    private static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The v2 signature (proxy-protocol.txt section 2.2). */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /**
     * A v2 PROXY command over TCP/IPv4 from {@code src:srcPort}, with a PP2_TYPE_SSL TLV when
     * {@code sslClient} is not 0: its client bits (0x01 SSL, 0x02 certificate on this connection),
     * verify 0 (the proxy verified the certificate) and the certificate's CN as PP2_SUBTYPE_SSL_CN.
     */
    private static byte[] v2(int[] src, int srcPort, int sslClient, String commonName) {
        ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
        if (sslClient != 0) {
            ByteArrayOutputStream ssl = new ByteArrayOutputStream();
            ssl.write(sslClient);
            ssl.writeBytes(new byte[] {0, 0, 0, 0}); // verify: 0 = verified
            tlv(ssl, 0x21, "TLSv1.3".getBytes(StandardCharsets.US_ASCII)); // PP2_SUBTYPE_SSL_VERSION
            if (commonName != null) {
                tlv(ssl, 0x22, commonName.getBytes(StandardCharsets.UTF_8)); // PP2_SUBTYPE_SSL_CN
            }
            tlv(tlvs, 0x20, ssl.toByteArray()); // PP2_TYPE_SSL
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(0x21); // version 2, PROXY command
        out.write(0x11); // AF_INET, STREAM
        int length = 12 + tlvs.size();
        out.write(length >> 8);
        out.write(length);
        for (int b : src) {
            out.write(b);
        }
        out.writeBytes(new byte[] {127, 0, 0, 1}); // destination address
        out.write(srcPort >> 8);
        out.write(srcPort);
        out.write(0x07);
        out.write(0x5B); // destination port 1883
        out.writeBytes(tlvs.toByteArray());
        return out.toByteArray();
    }

    private static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** The broker shows the proxied address in its log line and in the console's client list. */
    private static void assertSeenFrom(LogCapture log, Broker broker, String clientId, String address) {
        assertThat(addressOf(broker, clientId)).isEqualTo(address);
        assertThat(log.messages()).anyMatch(m -> m.startsWith("New client connected from " + address + " as " + clientId));
    }

    /** The address the broker shows for a connected client (the console's client list reads it). */
    private static String addressOf(Broker broker, String clientId) {
        Session s = broker.sessions().get(clientId);
        return s == null || s.link() == null ? null : s.link().info().address();
    }

    @Test
    void v1HeaderGivesTheClientsAddressToLogAndConsole() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "enable_proxy_protocol 1", "allow_anonymous true");
             RawClient c = RawClient.over(proxied(broker, v1("PROXY TCP4 203.0.113.7 192.0.2.1 51234 1883")))) {
            c.send(MqttBytes.connect("behind-v1", 60)).expectConnack(0);
            assertThat(log.messages()).anyMatch(m -> m.startsWith("New connection from 203.0.113.7:51234 on port"));
            assertSeenFrom(log, broker, "behind-v1", "203.0.113.7:51234");
            assertThat(log.anyThrowable()).isFalse();
        }
    }

    @Test
    void v2HeaderGivesTheClientsAddress() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "enable_proxy_protocol 2", "allow_anonymous true")) {
            // v2 over IPv4 with no TLV at all (IPv6 comes in the WebSocket test, in v1 form).
            try (RawClient c = RawClient.over(proxied(broker, v2(new int[] {198, 51, 100, 20}, 40000, 0, null)))) {
                c.send(MqttBytes.connect("behind-v2", 60)).expectConnack(0);
                assertSeenFrom(log, broker, "behind-v2", "198.51.100.20:40000");
            }
        }
    }

    @Test
    void aConnectionWithoutAValidHeaderIsClosedAloneWithOneLogLine() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "enable_proxy_protocol 1", "allow_anonymous true");
             RawClient good = RawClient.over(proxied(broker, v1("PROXY TCP4 203.0.113.9 192.0.2.1 50000 1883")))) {
            good.send(MqttBytes.connect("good", 60)).expectConnack(0);

            // Straight to the broker, no header: refused at once, not after a timeout.
            try (RawClient direct = RawClient.over(new Socket("127.0.0.1", broker.port()))) {
                direct.send(MqttBytes.connect("direct", 60));
                assertThat(direct.closedByBroker()).isTrue();
            }
            // A v1 header that does not parse.
            try (RawClient garbled = RawClient.over(proxied(broker, v1("PROXY TCP4 not-an-address 1.2.3.4 x y")))) {
                garbled.send(MqttBytes.connect("garbled", 60));
                assertThat(garbled.closedByBroker()).isTrue();
            }
            // A v2 header on a listener configured for v1.
            try (RawClient wrongVersion = RawClient.over(proxied(broker, v2(new int[] {10, 0, 0, 1}, 1, 0, null)))) {
                wrongVersion.send(MqttBytes.connect("wrong", 60));
                assertThat(wrongVersion.closedByBroker()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream()
                    .filter(m -> m.contains("(enable_proxy_protocol 1)")).count() == 3);
            assertThat(log.messages()).anyMatch(m -> m.contains("closed: no PROXY protocol header"))
                    .anyMatch(m -> m.contains("closed: invalid PROXY protocol header"))
                    .anyMatch(m -> m.contains("closed: PROXY protocol v2 header where enable_proxy_protocol is 1"));
            assertThat(log.messages()).noneMatch(m -> m.contains("direct") || m.contains("garbled"));
            assertThat(log.anyThrowable()).isFalse();
            // The connection with a good header is still served.
            assertThat(good.readUntilPingresp()).isEmpty();
            assertThat(broker.sessions().get("good").isConnected()).isTrue();
        }
    }

    @Test
    void v2TlsFieldsGiveTheUserNameTheAclChecks() throws Exception {
        Path acl = tmp.resolve("acl");
        Files.writeString(acl, "pattern readwrite devices/%u/#\n");
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "enable_proxy_protocol 2", "proxy_protocol_v2_require_tls true",
                     "require_certificate true", "use_identity_as_username true", "acl_file " + acl)) {
            // TLS with a verified certificate whose CN is sensor-7: the user name is sensor-7.
            try (RawClient c = RawClient.over(proxied(broker, v2(new int[] {192, 0, 2, 77}, 61000, 0x07, "sensor-7")))) {
                c.send(MqttBytes.connect("dev", 60)).expectConnack(0);
                assertThat(log.messages()).anyMatch(m -> m.startsWith("New client connected from 192.0.2.77:61000 as dev")
                        && m.contains("u'sensor-7'"));
                assertThat(c.subscribe(1, "devices/#", 0)).isZero();
                c.send(MqttBytes.publish("devices/sensor-7/temp", 0, false, 0, "21"));
                c.send(MqttBytes.publish("devices/sensor-8/temp", 0, false, 0, "22"));
                RawClient.Packet p = c.read(RawClient.PUBLISH);
                assertThat(p.topic()).isEqualTo("devices/sensor-7/temp"); // %u is the CN, sensor-8 is denied
                assertThat(c.readUntilPingresp()).isEmpty();
            }
            // TLS at the proxy but no client certificate: require_certificate closes it.
            try (RawClient c = RawClient.over(proxied(broker, v2(new int[] {192, 0, 2, 78}, 61001, 0x01, null)))) {
                c.send(MqttBytes.connect("nocert", 60));
                assertThat(c.closedByBroker()).isTrue();
            }
            // No TLS at the proxy: proxy_protocol_v2_require_tls closes it.
            try (RawClient c = RawClient.over(proxied(broker, v2(new int[] {192, 0, 2, 79}, 61002, 0, null)))) {
                c.send(MqttBytes.connect("plain", 60));
                assertThat(c.closedByBroker()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    log.contains("carries no verified client certificate (require_certificate)")
                            && log.contains("did not use TLS (proxy_protocol_v2_require_tls)"));
        }
    }

    @Test
    void headerBeforeTlsOnAListenerThatEndsTlsItself() throws Exception {
        TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "enable_proxy_protocol 1", "allow_anonymous true",
                     "certfile " + certs.file("server.crt"), "keyfile " + certs.file("server.key"))) {
            // A proxy passing TLS through (HAProxy "mode tcp" with send-proxy): header in clear, then TLS.
            Socket plain = proxied(broker, v1("PROXY TCP4 203.0.113.50 192.0.2.1 45000 8883"));
            SSLSocket tls = (SSLSocket) certs.clientContext(null).getSocketFactory()
                    .createSocket(plain, "localhost", broker.port(), true);
            tls.startHandshake();
            try (RawClient c = RawClient.over(tls)) {
                c.send(MqttBytes.connect("tls-behind", 60)).expectConnack(0);
                assertSeenFrom(log, broker, "tls-behind", "203.0.113.50:45000");
            }
        }
    }

    @Test
    void aWebSocketsListenerReadsTheHeaderBeforeTheHttpUpgrade() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "protocol websockets", "enable_proxy_protocol 1",
                     "allow_anonymous true");
             RawWebSocketClient ws = new RawWebSocketClient(java.net.URI.create("ws://127.0.0.1:" + broker.port() + "/mqtt"),
                     "mqtt", v1("PROXY TCP6 2001:db8::7 2001:db8::1 50123 443"))) {
            ws.sendBinary(io.netty.buffer.ByteBufUtil.hexDump(MqttBytes.connect("ws-behind", 60)));
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.receivedHex().equals("20020000"));
            assertSeenFrom(log, broker, "ws-behind", "2001:db8:0:0:0:0:0:7:50123");
        }
    }

    @Test
    void theReadmesLoadBalancerExampleWorks() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("#### Behind a load balancer"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```\\n(# HAProxy.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(section);
        assertThat(m.find()).as("the README's PROXY example").isTrue();
        Path acl = tmp.resolve("acl");
        Files.writeString(acl, "pattern readwrite devices/%u/#\n");
        String[] lines = m.group(1).replace("listener 1884 ", "listener 0 ").replace("/etc/courtier/acl", acl.toString())
                .split("\n");
        try (Broker broker = start(lines);
             RawClient c = RawClient.over(proxied(broker, v2(new int[] {192, 0, 2, 5}, 5000, 0x07, "pump-3")))) {
            c.send(MqttBytes.connect("pump", 60)).expectConnack(0);
            assertThat(addressOf(broker, "pump")).isEqualTo("192.0.2.5:5000");
        }
    }

    @Test
    void mosquitto21ConfigurationErrorsAreReportedWithTheirLine() throws Exception {
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, String.join("\n", List.of("listener 0", "enable_proxy_protocol 1",
                "use_identity_as_username true", "")));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConfigParser.parse(conf)))
                .hasMessageContaining("bad.conf:1: Listener on port 0 sets use_identity_as_username with "
                        + "enable_proxy_protocol 1");
    }
}
