package io.courtier.broker.protocol;

import static io.courtier.broker.protocol.EmbeddedConnection.bytes;
import static io.courtier.broker.protocol.EmbeddedConnection.connect311;
import static io.courtier.broker.protocol.EmbeddedConnection.connect5;
import static io.courtier.broker.protocol.EmbeddedConnection.hex;
import static io.courtier.broker.protocol.EmbeddedConnection.packet;
import static io.courtier.broker.protocol.EmbeddedConnection.raw;
import static io.courtier.broker.protocol.EmbeddedConnection.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DisconnectHandler} alone, with {@link ConnectionEnd} behind it: whether the will goes
 * out, as a subscriber to its topic sees it, and the MQTT 5 reason codes and Session Expiry.
 */
class DisconnectHandlerTest {

    private final EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();
    private final EmbeddedConnection watcher = rooms.connected(connect311("watcher")).subscribe(1, "will/t", 0);

    @AfterEach
    void close() {
        rooms.close();
    }

    /** CONNECT 3.1.1 with a QoS 0 will "gone" on will/t. */
    private static byte[] connect311WithWill(String clientId) {
        return packet(0x10, utf8("MQTT"),
                bytes(0x04,             // protocol level 4
                        0x06,           // connect flags: will, clean session
                        0x00, 0x3C),    // keep alive 60 s
                utf8(clientId),
                utf8("will/t"),         // will topic
                utf8("gone"));          // will message
    }

    /** CONNECT 5.0 with a QoS 0 will "gone" on will/t, no reason strings, and these extra properties. */
    private static byte[] connect5WithWill(String clientId, byte[] moreProperties) {
        byte[] properties = EmbeddedConnection.concat(bytes(0x17, 0x00), moreProperties); // Request Problem Info 0
        return packet(0x10, utf8("MQTT"),
                bytes(0x05,             // protocol level 5
                        0x06,           // connect flags: will, clean start
                        0x00, 0x3C,     // keep alive 60 s
                        properties.length),
                properties,
                utf8(clientId),
                bytes(0x00),            // will property length
                utf8("will/t"),
                utf8("gone"));
    }

    private String willAsDelivered() {
        return hex(packet(0x30, utf8("will/t"), raw("gone")));
    }

    @Test
    void aDisconnectEndsTheConnectionWithoutItsWill() {
        EmbeddedConnection c = rooms.connected(connect311WithWill("c"));

        c.send(bytes(0xE0, 0x00));      // DISCONNECT

        assertThat(c.isOpen()).isFalse();
        assertThat(watcher.written()).isEmpty(); // [MQTT-3.14.4-3]
        assertThat(rooms.session("c")).as("a clean session ends with its connection").isNull();
    }

    @Test
    void aConnectionLostWithoutDisconnectPublishesItsWill() {
        EmbeddedConnection c = rooms.connected(connect311WithWill("c"));

        c.drop();

        assertThat(watcher.writtenHex()).isEqualTo(willAsDelivered()); // [MQTT-3.1.2-8]
    }

    @Test
    void aV5DisconnectWithWillMessagePublishesTheWill() {
        EmbeddedConnection c = rooms.connected(connect5WithWill("c", new byte[0]));

        c.send(bytes(0xE0, 0x01,        // DISCONNECT
                0x04));                 // 0x04 Disconnect with Will Message

        assertThat(c.isOpen()).isFalse();
        assertThat(watcher.writtenHex()).isEqualTo(willAsDelivered());
    }

    @Test
    void aV5DisconnectSettingASessionExpiryAfterConnectHad0IsAProtocolError() {
        EmbeddedConnection c = rooms.connected(connect5WithWill("c", new byte[0]));

        c.send(bytes(0xE0, 0x07,        // DISCONNECT
                0x00,                   // 0x00 Normal disconnection
                0x05,                   // property length
                0x11, 0x00, 0x00, 0x00, 0x3C)); // Session Expiry Interval: 60 s [MQTT-3.14.2-2]

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT from the server
                0x82)));                // 0x82 Protocol Error
        assertThat(c.isOpen()).isFalse();
        assertThat(watcher.writtenHex()).as("an abnormal end: the will goes out").isEqualTo(willAsDelivered());
    }

    @Test
    void aV5DisconnectMayShortenTheSessionExpirySoTheSessionEndsWithTheConnection() {
        EmbeddedConnection c = rooms.connected(connect5("c", bytes(
                0x17, 0x00,                         // Request Problem Information: 0
                0x11, 0x00, 0x00, 0x00, 0x3C)));    // Session Expiry Interval: 60 s
        c.send(bytes(0xE0, 0x07, 0x00, 0x05,
                0x11, 0x00, 0x00, 0x00, 0x00));     // Session Expiry Interval: 0

        assertThat(c.isOpen()).isFalse();
        assertThat(rooms.session("c")).isNull();
    }

    @Test
    void aV5SessionWithAnExpiryOutlivesAnOrdinaryDisconnect() {
        EmbeddedConnection c = rooms.connected(connect5("c", bytes(0x17, 0x00, 0x11, 0x00, 0x00, 0x00, 0x3C)));

        c.send(bytes(0xE0, 0x00));      // DISCONNECT, Normal disconnection

        assertThat(c.isOpen()).isFalse();
        assertThat(rooms.session("c")).isNotNull();
        assertThat(rooms.session("c").isConnected()).isFalse();
    }
}
