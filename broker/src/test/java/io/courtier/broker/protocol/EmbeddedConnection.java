package io.courtier.broker.protocol;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.Tunables;
import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.persistence.MemoryStore;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.Router;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.security.SecurityRules;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.broker.testing.TestBroker;
import io.courtier.codec.MqttCodec;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.testkit.Mqtt5Bytes;
import io.courtier.testkit.MqttBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@link MqttConnection} on Netty's {@link EmbeddedChannel}, behind our own codec as a TCP
 * listener has it, on a real {@link BrokerContext} whose rooms are wired as {@code Broker} wires
 * them (in-memory store, no listener, no thread). The only place the packet handler tests build
 * a connection or a context, so a constructor that changes is adapted here once.
 *
 * <p>Every connection's session lives on its channel's {@code EmbeddedEventLoop} (CONNECT gives
 * it {@code channel.eventLoop()}), which runs tasks handed to it when the test calls
 * {@link #written()} or {@link #send}: nothing here depends on time or another thread.
 */
final class EmbeddedConnection {

    /** A broker's rooms for embedded connections; close it after the test. */
    static final class Rooms implements AutoCloseable {
        final BrokerContext broker;
        private final List<EmbeddedConnection> opened = new ArrayList<>();

        private Rooms(BrokerContext broker) {
            this.broker = broker;
        }

        /** A new connection on the configuration's first listener; nothing sent yet. */
        EmbeddedConnection open() {
            EmbeddedConnection c = new EmbeddedConnection(broker);
            opened.add(c);
            return c;
        }

        /** A new connection that has sent {@code connect}; its CONNACK is read and dropped. */
        EmbeddedConnection connected(byte[] connect) {
            EmbeddedConnection c = open();
            c.send(connect);
            byte[] connack = c.written();
            if (connack.length < 4 || connack[0] != 0x20 || connack[3] != 0) {
                throw new AssertionError("not connected: " + hex(connack));
            }
            return c;
        }

        /** The client's session, or null. */
        Session session(String clientId) {
            return broker.sessions.get(clientId);
        }

        @Override
        public void close() {
            for (EmbeddedConnection c : opened) {
                c.channel.finishAndReleaseAll();
            }
            broker.security.close();
        }
    }

    /** Rooms with the test brokers' defaults (anonymous clients allowed), changed by {@code customize}. */
    static Rooms rooms(Consumer<BrokerConfig.Builder> customize) {
        BrokerConfig config = TestBroker.config(customize);
        SessionRegistry sessions = new SessionRegistry();
        TopicTree tree = new TopicTree();
        RetainedStore retained = new RetainedStore();
        Store store = new MemoryStore();
        Router router = new Router(tree, sessions, config.upgradeOutgoingQos());
        Ingest ingest = new Ingest(router, retained, store, config.retainAvailable());
        return new Rooms(new BrokerContext(config, new BrokerStats(), sessions, tree, retained, router, ingest,
                store, SecurityRules.load(config), 10_000, Tunables.DEFAULTS));
    }

    static Rooms rooms() {
        return rooms(b -> { });
    }

    final EmbeddedChannel channel;
    final MqttConnection connection;

    private EmbeddedConnection(BrokerContext broker) {
        connection = new MqttConnection(broker, broker.config().listeners().get(0));
        // As MqttChannelInitializer.addMqttHandlers builds a listener's pipeline; active at once.
        channel = new EmbeddedChannel(new MqttCodec(new MqttDecoder(0), new MqttEncoder(null)), connection);
    }

    /** The client sends these packets (in one read); what they hand to the loop runs before this returns. */
    EmbeddedConnection send(byte[]... packets) {
        channel.writeInbound(Unpooled.wrappedBuffer(concat(packets)));
        channel.runPendingTasks();
        return this;
    }

    /** The client's socket closes without DISCONNECT. */
    void drop() {
        channel.close();
        channel.runPendingTasks();
    }

    /** Everything the broker wrote to this client since the last call, once the loop's queued tasks ran. */
    byte[] written() {
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** {@link #written()} in hex ("20 02 00 00"), so a failing assertion shows the packets readably. */
    String writtenHex() {
        return hex(written());
    }

    /** Whether the broker keeps the connection open (after the loop's queued tasks ran). */
    boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    // ---- writing packets as bytes ----------------------------------------------------------

    /** A packet: its first byte, its remaining length, its body (the test kit's {@link MqttBytes#packet}). */
    static byte[] packet(int firstByte, byte[]... body) {
        return MqttBytes.packet(firstByte, concat(body));
    }

    /** CONNECT 3.1.1 with a clean session and a keep alive of 60 s. */
    static byte[] connect311(String clientId) {
        return packet(0x10,                 // CONNECT
                utf8("MQTT"),               // protocol name
                bytes(0x04,                 // protocol level 4: MQTT 3.1.1
                        0x02,               // connect flags: clean session
                        0x00, 0x3C),        // keep alive: 60 s
                utf8(clientId));            // client identifier
    }

    /** CONNECT 5.0 with clean start, a keep alive of 60 s and these properties (without their length). */
    static byte[] connect5(String clientId, byte[] properties) {
        return packet(0x10,                 // CONNECT
                utf8("MQTT"),               // protocol name
                bytes(0x05,                 // protocol level 5: MQTT 5.0
                        0x02,               // connect flags: clean start
                        0x00, 0x3C,         // keep alive: 60 s
                        properties.length), // property length (under 128 here)
                properties,
                utf8(clientId));            // client identifier
    }

    /**
     * CONNECT 5.0 asking for no reason strings (Request Problem Information 0, MQTT 5.0 3.1.2.11.7):
     * the broker's answers are then only their reason codes, short enough to write out in a test.
     */
    static byte[] connect5(String clientId) {
        return connect5(clientId, bytes(0x17, 0x00)); // Request Problem Information: 0
    }

    /** SUBSCRIBE with one filter at {@code qos}; the SUBACK is read and dropped. */
    EmbeddedConnection subscribe(int packetId, String filter, int qos) {
        send(packet(0x82,                   // SUBSCRIBE (flags 0010)
                bytes(packetId >> 8, packetId), // packet identifier
                connection.isV5() ? bytes(0x00) : new byte[0], // MQTT 5: property length
                utf8(filter),               // topic filter
                bytes(qos)));               // requested QoS (MQTT 5: the options byte)
        byte[] suback = written();
        if (suback.length < 5 || (suback[0] & 0xFF) != 0x90 || (suback[suback.length - 1] & 0xFF) >= 0x80) {
            throw new AssertionError("not subscribed: " + hex(suback));
        }
        return this;
    }

    /** The CONNACK a 3.1.1 client gets when it is accepted without a session present. */
    static final byte[] CONNACK_311_ACCEPTED = bytes(0x20, 0x02, 0x00, 0x00);

    /** Bytes from ints, so a test writes a packet field by field with a comment for each. */
    static byte[] bytes(int... values) {
        return Mqtt5Bytes.bytes(values);
    }

    /** A UTF-8 string as MQTT writes it: two length bytes, then the bytes (MQTT 3.1.1 section 1.5.3). */
    static byte[] utf8(String s) {
        return MqttBytes.string(s);
    }

    /** The bytes of a string without a length, for payloads. */
    static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        return MqttBytes.concat(parts);
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X ", b & 0xFF));
        }
        return s.toString().trim();
    }
}
