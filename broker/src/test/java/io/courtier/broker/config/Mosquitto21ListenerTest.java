package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courtier.broker.Broker;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.External;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto 2.1's listener directives on real listeners, seen by Paho (v3 and v5), the JDK's
 * WebSocket client and raw sockets: listener_allow_anonymous, listener_auto_id_prefix,
 * accept_protocol_versions, websockets_origin, global_max_connections, global_max_clients.
 */
class Mosquitto21ListenerTest {

    @TempDir
    Path tmp;

    private Broker start(String... lines) throws Exception {
        return Broker.start(new ConfigFiles(tmp).config(lines), "test");
    }

    private static int port(Broker broker, int listener) {
        return broker.boundAddresses().get(listener).getPort();
    }

    private static MqttClient v3(int port, String id, boolean clean) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    private static org.eclipse.paho.mqttv5.client.MqttClient v5(int port, String id, long sessionExpiry)
            throws org.eclipse.paho.mqttv5.common.MqttException {
        var c = new org.eclipse.paho.mqttv5.client.MqttClient("tcp://127.0.0.1:" + port, id, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSessionExpiryInterval(sessionExpiry);
        c.connect(o);
        return c;
    }

    private static int v3Refusal(int port, String id, boolean clean) {
        MqttException e = catchThrowableOfType(MqttException.class, () -> v3(port, id, clean));
        assertThat(e).as("connecting %s", id).isNotNull();
        return e.getReasonCode();
    }

    private static int v5Refusal(int port, String id, long expiry) {
        var e = catchThrowableOfType(org.eclipse.paho.mqttv5.common.MqttException.class, () -> v5(port, id, expiry));
        assertThat(e).as("connecting %s", id).isNotNull();
        return e.getReasonCode();
    }

    @Test
    void anonymousClientsAreAllowedOnOneListenerAndNotOnTheOther() throws Exception {
        // No per_listener_settings: listener_allow_anonymous overrides allow_anonymous per listener.
        try (Broker broker = start("allow_anonymous false",
                "listener 0 127.0.0.1", "listener_allow_anonymous true",
                "listener 0 127.0.0.1")) {
            MqttClient open = v3(port(broker, 0), "anon-open", true);
            assertThat(open.isConnected()).isTrue();
            open.disconnect();
            open.close();
            assertThat(v3Refusal(port(broker, 1), "anon-closed", true))
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        }
    }

    @Test
    void listenerAutoIdPrefixNamesGeneratedClientIds() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "listener_allow_anonymous true",
                     "listener_auto_id_prefix edge-", "listener 0 127.0.0.1", "listener_allow_anonymous true")) {
            try (RawClient c = RawClient.over(new Socket("127.0.0.1", port(broker, 0)))) {
                c.send(MqttBytes.connect("", 60)).expectConnack(0);
            }
            try (RawClient c = RawClient.over(new Socket("127.0.0.1", port(broker, 1)))) {
                c.send(MqttBytes.connect("", 60)).expectConnack(0);
            }
            assertThat(log.messages()).anyMatch(m -> m.startsWith("New client connected from") && m.contains(" as edge-"))
                    .anyMatch(m -> m.startsWith("New client connected from") && m.contains(" as auto-"));
        }
    }

    @Test
    void aListenerAcceptingOnlyVersion5RefusesA311ClientAsMosquitto21Does() throws Exception {
        try (Broker broker = start("allow_anonymous true",
                "listener 0 127.0.0.1", "accept_protocol_versions 5",
                "listener 0 127.0.0.1", "accept_protocol_versions 3, 4")) {
            int only5 = port(broker, 0);
            int only3and4 = port(broker, 1);
            assertThat(v3Refusal(only5, "old", true)).isEqualTo(MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION);
            // On the wire: CONNACK 0x01 in the 3.1.1 form, then the socket closes.
            try (RawClient raw = RawClient.over(new Socket("127.0.0.1", only5))) {
                raw.send(MqttBytes.connect("raw-old", 60)).expectConnack(0x01);
                assertThat(raw.closedByBroker()).isTrue();
            }
            var ok = v5(only5, "new", 0);
            assertThat(ok.isConnected()).isTrue();
            ok.disconnect();
            ok.close();
            // A 5.0 client where only 3.1/3.1.1 are accepted: CONNACK 0x84 Unsupported Protocol Version.
            assertThat(v5Refusal(only3and4, "new-on-old", 0)).isEqualTo(0x84);
            MqttClient old = v3(only3and4, "old-on-old", true);
            old.disconnect();
            old.close();
        }
    }

    @Test
    void debiansMosquittoPubReadsTheRefusalOfEachVersion() throws Exception {
        try (Broker broker = start("allow_anonymous true", "listener 0 127.0.0.1", "accept_protocol_versions 4")) {
            String port = String.valueOf(broker.port());
            External.Result v31 = External.run("mosquitto_pub", "-p", port, "-V", "mqttv31", "-t", "v", "-m", "x");
            assertThat(v31.exitCode()).isEqualTo(1);
            assertThat(v31.stderr()).contains("Connection Refused: unacceptable protocol version");
            External.Result v5 = External.run("mosquitto_pub", "-p", port, "-V", "mqttv5", "-t", "v", "-m", "x");
            assertThat(v5.exitCode()).isEqualTo(0x84);
            assertThat(v5.stderr()).contains("Unsupported Protocol Version");
            assertThat(External.run("mosquitto_pub", "-p", port, "-V", "mqttv311", "-t", "v", "-m", "x").exitCode())
                    .isZero();
        }
    }

    @Test
    void websocketsOriginAllowsOnlyTheListedOrigins() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("listener 0 127.0.0.1", "protocol websockets", "allow_anonymous true",
                     "websockets_origin https://app.example.com", "websockets_origin http://localhost:8080")) {
            URI uri = URI.create("ws://127.0.0.1:" + broker.port() + "/mqtt");
            HttpClient http = HttpClient.newHttpClient();
            WebSocket ws = http.newWebSocketBuilder().subprotocols("mqtt").header("Origin", "http://localhost:8080")
                    .buildAsync(uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).isEqualTo("mqtt");
            ws.abort();
            CompletionException refused = catchThrowableOfType(CompletionException.class, () ->
                    http.newWebSocketBuilder().subprotocols("mqtt").header("Origin", "https://evil.example.net")
                            .buildAsync(uri, new WebSocket.Listener() { }).join());
            assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
            assertThat(log.messages()).anyMatch(m -> m.contains("Origin https://evil.example.net is not in websockets_origin"));
        }
    }

    @Test
    void globalMaxConnectionsCountsEveryListener() throws Exception {
        try (LogCapture log = LogCapture.broker();
             Broker broker = start("allow_anonymous true", "global_max_connections 2",
                     "listener 0 127.0.0.1", "listener 0 127.0.0.1");
             RawClient a = RawClient.over(new Socket("127.0.0.1", port(broker, 0)));
             RawClient b = RawClient.over(new Socket("127.0.0.1", port(broker, 1)))) {
            a.send(MqttBytes.connect("a", 60)).expectConnack(0);
            b.send(MqttBytes.connect("b", 60)).expectConnack(0);
            try (RawClient third = RawClient.over(new Socket("127.0.0.1", port(broker, 0)))) {
                assertThat(third.closedByBroker()).isTrue();
            }
            assertThat(log.messages()).anyMatch(m -> m.contains("denied: global_max_connections exceeded."));
            // One leaves, another may come in.
            a.send(MqttBytes.disconnect());
            assertThat(a.closedByBroker()).isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawClient again = RawClient.over(new Socket("127.0.0.1", port(broker, 1)))) {
                    again.send(MqttBytes.connect("again", 60)).expectConnack(0);
                }
            });
        }
    }

    @Test
    void globalMaxClientsCountsSessionsKeptForOfflineClients() throws Exception {
        try (Broker broker = start("allow_anonymous true", "global_max_clients 2", "listener 0 127.0.0.1")) {
            int port = broker.port();
            MqttClient kept = v3(port, "kept", false); // its session outlives the connection
            kept.disconnect();
            kept.close();
            MqttClient online = v3(port, "online", true);
            // Two sessions held: a new client is refused, 0x89 Server busy (v5), 0x03 Server unavailable (3.1.1).
            assertThat(v5Refusal(port, "third-v5", 0)).isEqualTo(0x89);
            assertThat(v3Refusal(port, "third-v3", true)).isEqualTo(MqttException.REASON_CODE_BROKER_UNAVAILABLE);
            // A client whose session is kept may always come back.
            MqttClient back = v3(port, "kept", false);
            assertThat(back.isConnected()).isTrue();
            back.disconnect();
            back.close();
            online.disconnect();
            online.close();
        }
    }

    @Test
    void theNewDirectivesAreCheckedWithTheirLine() throws Exception {
        ConfigFiles files = new ConfigFiles(tmp);
        assertThat(files.error("accept_protocol_versions 5"))
                .isEqualTo("test.conf:1: The 'accept_protocol_versions' option requires a listener to be defined first.");
        assertThat(files.error("listener 0", "accept_protocol_versions 4, 6"))
                .startsWith("test.conf:2: Invalid accept_protocol_versions value (6)");
        assertThat(files.error("listener 0", "enable_proxy_protocol 3"))
                .startsWith("test.conf:2: Invalid enable_proxy_protocol value (3)");
        assertThat(files.error("listener 0", "enable_proxy_protocol 1", "proxy_protocol_v2_require_tls true"))
                .startsWith("test.conf:1: Listener on port 0 sets proxy_protocol_v2_require_tls but not enable_proxy_protocol 2");
        assertThat(files.error("listener 0", "max_topic_alias_broker 70000"))
                .startsWith("test.conf:2: Invalid max_topic_alias_broker value (70000)");
        ListenerConfig l = files.config("listener 0", "accept_protocol_versions 3,5", "websockets_origin http://a",
                "listener_allow_anonymous false", "max_topic_alias_broker 0").listeners().get(0);
        assertThat(l.admission().accepts(3)).isTrue();
        assertThat(l.admission().accepts(4)).isFalse();
        assertThat(l.admission().accepts(5)).isTrue();
        assertThat(l.admission().websocketsOrigins()).containsExactly("http://a");
        assertThat(l.maxTopicAliasBroker()).isZero();
        BrokerConfig c = files.config("global_max_clients 10", "global_max_connections -1", "listener 0");
        assertThat(c.globalMaxClients()).isEqualTo(10);
        assertThat(c.globalMaxConnections()).isZero(); // negative: no limit, as Mosquitto
    }
}
