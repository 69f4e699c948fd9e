package io.courtier.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    /** One packet as read off the socket: first byte and body. */
    private record Packet(int first, byte[] body) {
    }

    private static Packet read(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first, body);
    }

    @Test
    void anUnacknowledgedPublishIsResentWithDupAfterReconnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            MqttClientOptions o = MqttClientOptions.builder().host("127.0.0.1").port(server.getLocalPort())
                    .clientId("resender").cleanStart(false).autoReconnect(true).reconnectDelayMillis(50).build();
            try (MqttClient client = new MqttClient(o)) {
                CompletableFuture<?> connected = client.connect();
                Packet firstPublish;
                CompletableFuture<Void> published;
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    Packet connect = read(in);
                    assertThat(connect.first()).isEqualTo(0x10);
                    out.write(new byte[] {0x20, 0x02, 0x00, 0x00}); // CONNACK, no session yet, accepted
                    out.flush();
                    connected.get(10, TimeUnit.SECONDS);
                    published = client.publish("a/b", "once".getBytes(StandardCharsets.UTF_8), 1, false);
                    firstPublish = read(in);
                    assertThat(firstPublish.first()).isEqualTo(0x32); // PUBLISH, QoS 1, DUP 0
                } // hang up without PUBACK

                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    Packet connect = read(in);
                    // Variable header: protocol name (2+4 bytes), level, then the flags: clean session (0x02) off.
                    assertThat(connect.body()[7] & 0x02).isZero();
                    out.write(new byte[] {0x20, 0x02, 0x01, 0x00}); // CONNACK, session present
                    out.flush();
                    Packet again = read(in);
                    assertThat(again.first()).isEqualTo(0x3A); // PUBLISH, QoS 1, DUP 1
                    assertThat(again.body()).isEqualTo(firstPublish.body()); // same packet id, topic, payload
                    byte[] body = again.body();
                    int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
                    out.write(new byte[] {0x40, 0x02, body[2 + topicLength], body[3 + topicLength]}); // PUBACK
                    out.flush();
                    published.get(10, TimeUnit.SECONDS); // complete once acknowledged, not before
                    assertThat(client.eventLoop().submit(client::inflightCount).get()).isZero();
                }
            }
        }
    }
}
