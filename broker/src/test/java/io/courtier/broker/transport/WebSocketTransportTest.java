package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MQTT over WebSockets on a {@code protocol websockets} listener, as Mosquitto serves it. */
class WebSocketTransportTest {

    private Broker broker;
    private int tcpPort;
    private int wsPort;
    private int httpPort;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.WEBSOCKETS),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(true).build(), "test");
        tcpPort = broker.boundAddresses().get(0).getPort();
        wsPort = broker.boundAddresses().get(1).getPort();
        httpPort = broker.boundAddresses().get(2).getPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + wsPort + path);
    }

    // CONNECT, MQTT 3.1.1, client id "ws1", clean session, keep-alive 60.
    private static final String CONNECT = "100f00044d51545404" + "02003c0003777331";
    private static final String CONNACK = "20020000";
    // SUBSCRIBE id 1 to "a/b" at QoS 0, then PINGREQ.
    private static final String SUBSCRIBE = "82080001" + "0003612f62" + "00";
    private static final String SUBACK = "9003000100";
    private static final String PINGREQ = "c000";
    private static final String PINGRESP = "d000";

    @Test
    void packetsSplitAcrossFramesAndSeveralInOneFrameAreDecoded() throws Exception {
        try (RawWebSocketClient c = new RawWebSocketClient(ws("/mqtt"), "mqtt")) {
            c.sendBinary(CONNECT.substring(0, 14)); // the CONNECT cut in the middle of its protocol name
            c.sendBinary(CONNECT.substring(14));
            await().atMost(5, TimeUnit.SECONDS).until(() -> c.receivedHex().equals(CONNACK));

            c.sendBinary(SUBSCRIBE + PINGREQ); // two packets in one frame
            await().atMost(5, TimeUnit.SECONDS).until(() -> c.receivedHex().equals(CONNACK + SUBACK + PINGRESP));

            // Two PUBLISHes to a/b ("hi", "yo") cut across three frames: the middle frame ends
            // one packet and starts the next.
            String hi = "3007" + "0003612f62" + "6869";
            String yo = "3007" + "0003612f62" + "796f";
            String both = hi + yo;
            c.sendBinary(both.substring(0, 10));
            c.sendBinary(both.substring(10, 22));
            c.sendBinary(both.substring(22));
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> c.receivedHex().equals(CONNACK + SUBACK + PINGRESP + hi + yo));
        }
    }

    @Test
    void pahoClientsOverWebSocketsTalkToTcpClients() throws Exception {
        BlockingQueue<String> v3 = new LinkedBlockingQueue<>();
        BlockingQueue<String> v5 = new LinkedBlockingQueue<>();
        MqttClient wsV3 = new MqttClient("ws://127.0.0.1:" + wsPort + "/mqtt", "paho-ws-v3", new MemoryPersistence());
        org.eclipse.paho.mqttv5.client.MqttClient wsV5 = new org.eclipse.paho.mqttv5.client.MqttClient(
                "ws://127.0.0.1:" + wsPort, "paho-ws-v5", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttClient tcp = new MqttClient("tcp://127.0.0.1:" + tcpPort, "paho-tcp", new MemoryPersistence());
        try {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            wsV3.connect(o);
            wsV3.subscribe("room/+", 1, (t, m) -> v3.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            wsV5.connect(new MqttConnectionOptions());
            wsV5.subscribe("room/#", 1).waitForCompletion(5000);
            wsV5.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    v5.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
                }

                @Override
                public void connectComplete(boolean reconnect, String uri) {
                }

                @Override
                public void authPacketArrived(int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                }
            });
            tcp.connect();
            tcp.publish("room/1", "from tcp".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(v3.poll(5, TimeUnit.SECONDS)).isEqualTo("room/1 from tcp");
            assertThat(v5.poll(5, TimeUnit.SECONDS)).isEqualTo("room/1 from tcp");

            // A large message crosses the WebSocket both ways (several TCP reads, one frame).
            String big = "x".repeat(300_000);
            wsV3.publish("room/big", big.getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(v3.poll(5, TimeUnit.SECONDS)).isEqualTo("room/big " + big);
            assertThat(v5.poll(5, TimeUnit.SECONDS)).isEqualTo("room/big " + big);
        } finally {
            for (AutoCloseable c : List.<AutoCloseable>of(wsV3::disconnect, wsV5::disconnect, tcp::disconnect)) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already gone
                }
            }
        }
    }

    @Test
    void pingFramesAreAnsweredWithPong() throws Exception {
        try (RawWebSocketClient c = new RawWebSocketClient(ws("/"), "mqtt")) {
            c.send(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            WebSocketFrame f = c.controlFrames.poll(5, TimeUnit.SECONDS);
            assertThat(f).isNotNull();
            assertThat(RawWebSocketClient.isPong(f)).isTrue();
            assertThat(f.content().readableBytes()).isEqualTo(3);
            f.release();
        }
    }

    @Test
    void aTextFrameEndsTheConnection() throws Exception {
        try (RawWebSocketClient c = new RawWebSocketClient(ws("/mqtt"), "mqtt")) {
            c.sendBinary(CONNECT);
            await().atMost(5, TimeUnit.SECONDS).until(() -> c.receivedHex().equals(CONNACK));
            c.send(new TextWebSocketFrame("hello")); // [MQTT-6.0.0-1]
            WebSocketFrame f = c.controlFrames.poll(5, TimeUnit.SECONDS);
            assertThat(f).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) f).statusCode()).isEqualTo(1003);
            f.release();
            c.closed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theClientsCloseFrameIsAnsweredAndTheWillIsNotLost() throws Exception {
        try (RawWebSocketClient c = new RawWebSocketClient(ws("/mqtt"), "mqtt")) {
            c.sendBinary(CONNECT);
            await().atMost(5, TimeUnit.SECONDS).until(() -> c.receivedHex().equals(CONNACK));
            c.send(new CloseWebSocketFrame(1000, "bye"));
            c.closed.get(5, TimeUnit.SECONDS);
            WebSocketFrame f = c.controlFrames.poll(1, TimeUnit.SECONDS);
            assertThat(f).isInstanceOf(CloseWebSocketFrame.class);
            f.release();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> broker.context().sessions().connectedCount() == 0);
    }

    @Test
    void aFrameOverTheSizeLimitIsRefusedWith1009() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.WEBSOCKETS)));
        b.allowAnonymous(true);
        b.maxPacketSize = 100;
        broker.close();
        broker = Broker.start(b.build(), "test");
        wsPort = broker.port();
        try (RawWebSocketClient c = new RawWebSocketClient(ws("/mqtt"), "mqtt")) {
            c.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[200_000])));
            WebSocketFrame f = c.controlFrames.poll(5, TimeUnit.SECONDS);
            assertThat(f).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) f).statusCode()).isEqualTo(1009);
            f.release();
            c.closed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlainGetOnAWebSocketsListenerWithoutHttpDirIsNotFound() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + wsPort + "/index.html")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(broker.context().sessions().connectedCount()).isZero();
    }

    @Test
    void theConsoleListenerAcceptsMqttOnlyAtSlashMqtt() throws Exception {
        try (RawWebSocketClient c = new RawWebSocketClient(URI.create("ws://127.0.0.1:" + httpPort + "/mqtt"), "mqtt")) {
            c.sendBinary(CONNECT);
            await().atMost(5, TimeUnit.SECONDS).until(() -> c.receivedHex().equals(CONNACK));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new RawWebSocketClient(URI.create("ws://127.0.0.1:" + httpPort + "/elsewhere"), "mqtt").close())
                .isNotNull();
    }

    @Test
    void headersLargerThanWebsocketsHeadersSizeAreRefused() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + wsPort + "/mqtt")).header("Cookie", "c=" + "x".repeat(8000))
                        .timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
    }
}
