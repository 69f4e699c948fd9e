package io.courtier.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The warm-up's MQTT client (3.1.1; CONNECT and SUBSCRIBE in MQTT 5 too): a blocking socket
 * writing packets laid out by hand and reading only their framing. Deliberately not the project's client: that one runs on Netty and the
 * codec, the very code the broker runs, and the JIT keeps the types it sees per call site, so a
 * client in the broker's process would feed client-side handlers and buffers into the type
 * profiles of the broker's hot path (where a call seen with one or two types is inlined). No loss
 * was measured with that client (fan-out, fan-in and pairs within noise), but this one cannot
 * cause it, and it needs no event loop or classes of its own.
 */
final class WarmupClient implements AutoCloseable {

    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBACK = 9;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final boolean v5;
    private int nextId = 1;

    WarmupClient(int port, String clientId) throws IOException {
        this(port, clientId, false);
        awaitConnack();
    }

    /**
     * Opens the socket and sends CONNECT (clean session, keep-alive 60 s) without waiting for the
     * CONNACK, so that a batch of connections reaches the broker at once, as a burst of clients does:
     * {@link #awaitConnack} reads it. In MQTT 5 (v5) or 3.1.1.
     */
    WarmupClient(int port, String clientId, boolean v5) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new BufferedOutputStream(socket.getOutputStream());
        this.v5 = v5;
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        // CONNECT: protocol name "MQTT", level 4 or 5, clean session, keep-alive 60 s, in MQTT 5 an
        // empty property list (section 3.1.2.11), then the client id.
        Packet connect = new Packet(0x10).bytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', (byte) (v5 ? 5 : 4), 2, 0, 60});
        if (v5) {
            connect.bytes(new byte[] {0});
        }
        out.write(connect.string(id).frame());
        out.flush();
    }

    void awaitConnack() throws IOException {
        expect(CONNACK);
    }

    /** SUBSCRIBE to one filter at a QoS, waiting for its SUBACK. */
    void subscribe(String filter, int qos) throws IOException {
        sendSubscribe(filter, qos);
        awaitSuback();
    }

    /** SUBSCRIBE to one filter at a QoS (in MQTT 5 with no properties); {@link #awaitSuback} reads the answer. */
    void sendSubscribe(String filter, int qos) throws IOException {
        Packet subscribe = new Packet(0x82).id(packetId());
        if (v5) {
            subscribe.bytes(new byte[] {0});
        }
        out.write(subscribe.string(filter.getBytes(StandardCharsets.UTF_8)).bytes(new byte[] {(byte) qos}).frame());
        out.flush();
    }

    void awaitSuback() throws IOException {
        expect(SUBACK);
    }

    /** A PUBLISH; QoS 1 ones are acknowledged later, read by {@link #awaitAcks}. */
    void publish(String topic, byte[] payload, int qos, boolean retain) throws IOException {
        Packet p = new Packet(0x30 | qos << 1 | (retain ? 1 : 0)).string(topic.getBytes(StandardCharsets.UTF_8));
        if (qos > 0) {
            p.id(packetId());
        }
        out.write(p.bytes(payload).frame());
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads until {@code count} PUBACKs came (this client only publishes QoS 0 and 1). */
    void awaitAcks(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            expect(PUBACK);
        }
    }

    /**
     * As a subscriber: reads {@code count} PUBLISHes, acknowledging the QoS 1 ones (sent whenever
     * nothing more is buffered, so the broker's in-flight window moves on).
     */
    void receive(int count) throws IOException {
        for (int received = 0; received < count; ) {
            if (in.available() == 0) {
                out.flush();
            }
            int first = in.readUnsignedByte();
            byte[] body = new byte[remainingLength()];
            in.readFully(body);
            if (first >> 4 == PUBLISH) {
                received++;
                if ((first >> 1 & 3) == 1) {
                    int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
                    out.write(new byte[] {PUBACK << 4, 2, body[2 + topicLength], body[3 + topicLength]});
                }
            }
        }
        out.flush();
    }

    void disconnect() throws IOException {
        out.write(new byte[] {(byte) 0xe0, 0});
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private int packetId() {
        int id = nextId;
        nextId = nextId == 65535 ? 1 : nextId + 1;
        return id;
    }

    /** Reads one packet, which must be of the given type. */
    private void expect(int type) throws IOException {
        out.flush();
        int first = in.readUnsignedByte();
        in.readFully(new byte[remainingLength()]);
        if (first >> 4 != type) {
            throw new IOException("expected packet type " + type + ", got " + (first >> 4));
        }
    }

    /** The variable-length "remaining length" of the fixed header (MQTT 3.1.1 section 2.2.3). */
    private int remainingLength() throws IOException {
        int value = 0;
        for (int shift = 0; shift <= 21; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }

    /** A packet's variable header and payload, framed with its fixed header. */
    private static final class Packet {
        private final int first;
        private byte[] body = new byte[0];

        Packet(int first) {
            this.first = first;
        }

        Packet bytes(byte[] more) {
            byte[] joined = Arrays.copyOf(body, body.length + more.length);
            System.arraycopy(more, 0, joined, body.length, more.length);
            body = joined;
            return this;
        }

        Packet id(int id) {
            return bytes(new byte[] {(byte) (id >> 8), (byte) id});
        }

        /** A length-prefixed UTF-8 string (section 1.5.3). */
        Packet string(byte[] utf8) {
            return id(utf8.length).bytes(utf8);
        }

        byte[] frame() {
            byte[] length = new byte[4];
            int n = 0;
            int rest = body.length;
            do {
                int b = rest % 128;
                rest /= 128;
                length[n++] = (byte) (rest > 0 ? b | 0x80 : b);
            } while (rest > 0);
            byte[] frame = new byte[1 + n + body.length];
            frame[0] = (byte) first;
            System.arraycopy(length, 0, frame, 1, n);
            System.arraycopy(body, 0, frame, 1 + n, body.length);
            return frame;
        }
    }
}
