package io.courtier.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A plain {@link Socket} to the broker: writes whatever bytes a test gives it and reads packets
 * back by their fixed header, without any MQTT library in between. Reads time out after 10 s so
 * a broker that never answers fails the test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {

    /** One packet as read off the wire. */
    public record Packet(int firstByte, byte[] body) {
        public int type() {
            return firstByte >> 4;
        }

        public int flags() {
            return firstByte & 0x0F;
        }

        /** The packet id of an ack (PUBACK..PUBCOMP, SUBACK, UNSUBACK). */
        public int ackId() {
            return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        }

        /** CONNACK's return code. */
        public int connackCode() {
            return body[1] & 0xFF;
        }

        public boolean sessionPresent() {
            return (body[0] & 1) == 1;
        }

        public int qos() {
            return (firstByte >> 1) & 3;
        }

        public boolean retain() {
            return (firstByte & 1) == 1;
        }

        public boolean dup() {
            return (firstByte & 8) == 8;
        }

        public String topic() {
            int len = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return new String(body, 2, len, StandardCharsets.UTF_8);
        }

        /** A PUBLISH's packet id (QoS 1/2). */
        public int publishId() {
            int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length;
            return ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
        }

        public String payload() {
            int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length + (qos() > 0 ? 2 : 0);
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }

        /**
         * A short form naming the type and, for the packets that carry one, the reason code:
         * "CONNACK 0x81", "DISCONNECT 0x82", "PUBREC 0x00", "SUBACK 0x00" (its last filter's code).
         */
        public String describe() {
            String[] names = {"0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
                "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};
            int at = switch (type()) {
                case CONNACK -> 1;
                case PUBACK, PUBREC, PUBREL, PUBCOMP -> 2; // absent in 3.1.1 and in a short v5 ack: success
                case SUBACK, UNSUBACK -> body.length > 2 ? body.length - 1 : -1; // the last filter's code
                case DISCONNECT -> 0;
                default -> -1;
            };
            if (at < 0) {
                return names[type()];
            }
            return String.format("%s 0x%02x", names[type()], at < body.length ? body[at] & 0xFF : 0);
        }

        @Override
        public String toString() {
            return "Packet[type=" + type() + ", flags=" + flags() + ", body=" + Arrays.toString(body) + "]";
        }
    }

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * A raw end on a socket the test opened itself (one that sent a PROXY header first, or a TLS
     * socket), or one its fake server accepted (to play a broker that misbehaves on purpose).
     */
    public static RawClient over(Socket socket) throws IOException {
        return new RawClient(socket);
    }

    public static RawClient open(MqttEndpoint broker) throws IOException {
        return open(broker.port());
    }

    /** A socket to a broker on this machine: ours, or Debian's mosquitto for the same test. */
    public static RawClient open(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    /** The next packet, or null if the broker closed the connection (or said nothing) within {@code millis}. */
    public Packet readOrNullWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return readOrNull();
        } catch (EOFException | SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * The next packet, or null if the broker closed the connection; a broker that says nothing
     * for {@code millis} fails the read ({@link java.net.SocketTimeoutException}).
     */
    public Packet readOrNullIfClosed(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return readOrNull();
    }

    /**
     * Whatever the broker sends until it closes the socket or the read times out: the packets,
     * then "CLOSED" or "OPEN". Tests compare it with what Debian's mosquitto sends.
     */
    public java.util.List<String> readToEnd(int millis) throws IOException {
        socket.setSoTimeout(millis);
        java.util.List<String> seen = new java.util.ArrayList<>();
        try {
            for (Packet p = readOrNull(); p != null; p = readOrNull()) {
                seen.add(p.describe());
            }
            seen.add("CLOSED");
        } catch (EOFException | SocketException e) {
            seen.add("CLOSED");
        } catch (SocketTimeoutException e) {
            seen.add("OPEN");
        }
        return seen;
    }

    /**
     * A socket to 127.0.0.1 from another loopback address ({@code 127.0.0.N} on Linux), so the
     * broker sees a different client address: tests of many refused logins use one each, or the
     * login gate's back-off for a failing address would slow them down.
     */
    public static RawClient openFrom(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new java.net.InetSocketAddress(localAddress, 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        return new RawClient(s);
    }

    /** A socket to any broker (Debian's mosquitto, say). */
    public static RawClient open(String host, int port) throws IOException {
        return new RawClient(new Socket(host, port));
    }

    /** Opens a socket and completes a 3.1.1 CONNECT with a clean session; fails unless CONNACK accepts. */
    public static RawClient connected(MqttEndpoint broker, String clientId) throws IOException {
        RawClient c = open(broker);
        c.send(MqttBytes.connect(clientId, 60));
        c.expectConnack(0);
        return c;
    }

    /** This end's port, as the broker logs it ("New client connected from 127.0.0.1:PORT ..."). */
    public int localPort() {
        return socket.getLocalPort();
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next packet; fails on end of stream or after the read timeout. */
    public Packet read() throws IOException {
        Packet p = readOrNull();
        if (p == null) {
            throw new EOFException("the broker closed the connection");
        }
        return p;
    }

    /** The next packet of a type, failing if another type comes first. */
    public Packet read(int type) throws IOException {
        Packet p = read();
        if (p.type() != type) {
            throw new AssertionError("expected packet type " + type + ", got " + p);
        }
        return p;
    }

    public Packet expectConnack(int code) throws IOException {
        Packet p = read(CONNACK);
        if (p.connackCode() != code) {
            throw new AssertionError("expected CONNACK " + code + ", got " + p.connackCode());
        }
        return p;
    }

    /** Subscribes and waits for the SUBACK; returns the granted QoS. */
    public int subscribe(int packetId, String filter, int qos) throws IOException {
        send(MqttBytes.subscribe(packetId, filter, qos));
        Packet suback = read(SUBACK);
        return suback.body()[2] & 0xFF;
    }

    private Packet readOrNull() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketException e) {
            return null; // reset by the peer: closed
        }
        if (first < 0) {
            return null;
        }
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            len |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[len];
        in.readFully(body);
        return new Packet(first, body);
    }

    /**
     * Whether the broker closes the connection within the read timeout; packets it sends first
     * (a refusing CONNACK, say) are skipped.
     */
    public boolean closedByBroker() throws IOException {
        try {
            while (readOrNull() != null) {
                // skip
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether the broker closes the connection within the given time, skipping packets it sends. */
    public boolean closedByBrokerWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return closedByBroker();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    /** Reads the next {@code n} packets, failing if one is not a PUBLISH. */
    public java.util.List<Packet> readPublishes(int n) throws IOException {
        java.util.List<Packet> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read(PUBLISH));
        }
        return out;
    }

    /**
     * A barrier instead of a sleep: sends PINGREQ and returns every packet that arrives before
     * its PINGRESP. The broker handles a connection's packets in order, so replies to what this
     * client sent earlier come first. Deliveries caused by OTHER clients travel through the
     * session's task queue, which the event loop may run after reading the PINGREQ: read the
     * deliveries you expect first, then use the barrier to assert that no extra one follows
     * (extras of one routing are queued together with the first, so they do come before).
     */
    public java.util.List<Packet> readUntilPingresp() throws IOException {
        send(MqttBytes.pingreq());
        java.util.List<Packet> before = new java.util.ArrayList<>();
        for (Packet p = read(); p.type() != PINGRESP; p = read()) {
            before.add(p);
        }
        return before;
    }

    /** Ends the TCP connection without DISCONNECT, as a crashed client would (RST with linger 0). */
    public void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
