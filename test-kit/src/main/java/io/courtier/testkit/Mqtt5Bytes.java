package io.courtier.testkit;

import static io.courtier.testkit.MqttBytes.concat;
import static io.courtier.testkit.MqttBytes.packet;
import static io.courtier.testkit.MqttBytes.string;
import static io.courtier.testkit.MqttBytes.u16;

import java.io.ByteArrayOutputStream;

/**
 * Hand-made MQTT 5 packets as raw bytes (MQTT 5.0 chapter 3), written from the standard's
 * layouts independently of our codec, for tests that send what a client library never would.
 * {@code props} are a property list's bytes without its length, which is added here.
 */
public final class Mqtt5Bytes {
    private Mqtt5Bytes() {
    }

    /** A variable byte integer (MQTT 5.0 1.5.5). */
    public static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = value % 128;
            value /= 128;
            out.write(value > 0 ? b | 0x80 : b);
        } while (value > 0);
        return out.toByteArray();
    }

    /** A property list: its length, then the properties. */
    public static byte[] properties(byte[] props) {
        return concat(varInt(props.length), props);
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** CONNECT v5, clean start, no will, user name or password. */
    public static byte[] connect(String clientId, int keepAlive, byte[] props) {
        return packet(0x10, concat(string("MQTT"), bytes(5, 0x02), u16(keepAlive), properties(props),
                string(clientId)));
    }

    public static byte[] connect(String clientId) {
        return connect(clientId, 60, new byte[0]);
    }

    /** CONNECT v5 with a user name (clean start). */
    public static byte[] connectWithUsername(String clientId, String username) {
        return packet(0x10, concat(string("MQTT"), bytes(5, 0x82), u16(60), properties(new byte[0]),
                string(clientId), string(username)));
    }

    /** CONNECT v5 with a QoS 0 will on a topic (clean start). */
    public static byte[] connectWithWill(String clientId, String willTopic) {
        return packet(0x10, concat(string("MQTT"), bytes(5, 0x06), u16(60), properties(new byte[0]),
                string(clientId), properties(new byte[0]), string(willTopic), string("gone")));
    }

    public static byte[] publish(String topic, int qos, int packetId, byte[] props, int flags) {
        byte[] id = qos > 0 ? u16(packetId) : new byte[0];
        return packet(0x30 | (qos << 1) | flags, concat(string(topic), id, properties(props), bytes('x')));
    }

    public static byte[] publish(String topic, int qos, int packetId) {
        return publish(topic, qos, packetId, new byte[0], 0);
    }

    /** SUBSCRIBE with one filter and its options byte. */
    public static byte[] subscribe(int packetId, String filter, int options, byte[] props) {
        return packet(0x82, concat(u16(packetId), properties(props), string(filter), bytes(options)));
    }

    public static byte[] subscribe(int packetId, String filter, int options) {
        return subscribe(packetId, filter, options, new byte[0]);
    }

    public static byte[] unsubscribe(int packetId, String filter) {
        return packet(0xA2, concat(u16(packetId), properties(new byte[0]), string(filter)));
    }
}
