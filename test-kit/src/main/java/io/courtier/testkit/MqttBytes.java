package io.courtier.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made MQTT 3.1/3.1.1 packets as raw bytes, for tests that must send what a well-behaved
 * client library never would (malformed input) or must control acknowledgements exactly.
 * Written from the 3.1.1 standard's packet layouts, independently of our codec.
 */
public final class MqttBytes {
    private MqttBytes() {
    }

    public static final int CLEAN_SESSION = 0x02;
    public static final int WILL = 0x04;
    public static final int WILL_RETAIN = 0x20;

    /** A fixed header (first byte and remaining length) followed by the body. */
    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int len = body.length;
        do {
            int b = len % 128;
            len /= 128;
            out.write(len > 0 ? b | 0x80 : b);
        } while (len > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A length-prefixed UTF-8 string. */
    public static byte[] string(String s) {
        return lengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] lengthPrefixed(byte[] data) {
        return concat(new byte[] {(byte) (data.length >> 8), (byte) data.length}, data);
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** CONNECT at protocol level 4 (3.1.1) with a clean session. */
    public static byte[] connect(String clientId, int keepAlive) {
        return connect("MQTT", 4, CLEAN_SESSION, keepAlive, clientId);
    }

    /** CONNECT with any protocol name, level and flags; no will, user name or password. */
    public static byte[] connect(String protocolName, int level, int flags, int keepAlive, String clientId) {
        return packet(0x10, concat(string(protocolName), new byte[] {(byte) level, (byte) flags}, u16(keepAlive),
                string(clientId)));
    }

    /** CONNECT 3.1.1 with a clean session and a user name and password, either null when absent. */
    public static byte[] connect(String clientId, String username, String password) {
        int flags = CLEAN_SESSION | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        return packet(0x10, concat(string("MQTT"), new byte[] {4, (byte) flags}, u16(60), string(clientId),
                username != null ? string(username) : new byte[0], password != null ? string(password) : new byte[0]));
    }

    /** CONNECT 3.1.1 with a will message; {@code flags} adds clean session / will retain. */
    public static byte[] connectWithWill(String clientId, int flags, int keepAlive, String willTopic, int willQos,
                                         String willPayload) {
        int f = flags | WILL | (willQos << 3);
        return packet(0x10, concat(string("MQTT"), new byte[] {4, (byte) f}, u16(keepAlive), string(clientId),
                string(willTopic), string(willPayload)));
    }

    public static byte[] publish(String topic, int qos, boolean retain, int packetId, String payload) {
        return publish(topic, qos, retain, false, packetId, payload.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] publish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
        byte[] id = qos > 0 ? u16(packetId) : new byte[0];
        return packet(first, concat(string(topic), id, payload));
    }

    public static byte[] subscribe(int packetId, String filter, int qos) {
        return packet(0x82, concat(u16(packetId), string(filter), new byte[] {(byte) qos}));
    }

    public static byte[] puback(int packetId) {
        return packet(0x40, u16(packetId));
    }

    public static byte[] pubrec(int packetId) {
        return packet(0x50, u16(packetId));
    }

    public static byte[] pubrel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    public static byte[] pubcomp(int packetId) {
        return packet(0x70, u16(packetId));
    }

    public static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    public static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }
}
