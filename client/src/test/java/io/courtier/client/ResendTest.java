package io.courtier.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message in flight when the connection drops is sent again with DUP set once the broker says
 * it kept the session [MQTT-4.4.0-1]. No real broker misbehaves on purpose, so the other end is a
 * raw socket that takes the PUBLISH and hangs up before acknowledging it.
 */
class ResendTest {

    @Test
    void anUnacknowledgedPublishIsResentWithDupAfterReconnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            MqttClientOptions o = MqttClientOptions.builder().host("127.0.0.1").port(server.getLocalPort())
                    .clientId("resender").cleanStart(false).autoReconnect(true).reconnectDelayMillis(50).build();
            try (MqttClient client = new MqttClient(o)) {
                CompletableFuture<?> connected = client.connect();
                RawClient.Packet firstPublish;
                CompletableFuture<Void> published;
                try (Socket s = server.accept()) {
                    RawClient peer = RawClient.over(s);
                    RawClient.Packet connect = peer.read();
                    assertThat(connect.firstByte()).isEqualTo(0x10);
                    peer.send(new byte[] {0x20, 0x02, 0x00, 0x00}); // CONNACK, no session yet, accepted
                    connected.get(10, TimeUnit.SECONDS);
                    published = client.publish("a/b", "once".getBytes(StandardCharsets.UTF_8), 1, false);
                    firstPublish = peer.read();
                    assertThat(firstPublish.firstByte()).isEqualTo(0x32); // PUBLISH, QoS 1, DUP 0
                } // hang up without PUBACK

                try (Socket s = server.accept()) {
                    RawClient peer = RawClient.over(s);
                    RawClient.Packet connect = peer.read();
                    // Variable header: protocol name (2+4 bytes), level, then the flags: clean session (0x02) off.
                    assertThat(connect.body()[7] & 0x02).isZero();
                    peer.send(new byte[] {0x20, 0x02, 0x01, 0x00}); // CONNACK, session present
                    RawClient.Packet again = peer.read();
                    assertThat(again.firstByte()).isEqualTo(0x3A); // PUBLISH, QoS 1, DUP 1
                    assertThat(again.body()).isEqualTo(firstPublish.body()); // same packet id, topic, payload
                    peer.send(MqttBytes.puback(again.publishId()));
                    published.get(10, TimeUnit.SECONDS); // complete once acknowledged, not before
                    assertThat(client.eventLoop().submit(client::inflightCount).get()).isZero();
                }
            }
        }
    }
}
