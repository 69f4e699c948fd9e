package io.courtier.broker.protocol;

import static io.courtier.broker.protocol.EmbeddedConnection.bytes;
import static io.courtier.broker.protocol.EmbeddedConnection.connect311;
import static io.courtier.broker.protocol.EmbeddedConnection.connect5;
import static io.courtier.broker.protocol.EmbeddedConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packets {@link MqttConnection#dispatch} answers itself: PINGREQ, AUTH (no authentication
 * method is supported, so it is a violation) and the packets only a server sends.
 */
class PingAndAuthTest {

    private final EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();

    @AfterEach
    void close() {
        rooms.close();
    }

    @Test
    void aPingreqIsAnsweredWithPingresp() {
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(bytes(0xC0, 0x00));      // PINGREQ

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0xD0, 0x00))); // PINGRESP
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void anAuthPacketWithoutAnAuthenticationMethodIsAProtocolError() {
        EmbeddedConnection c = rooms.connected(connect5("c"));

        c.send(bytes(0xF0, 0x02,        // AUTH
                0x18,                   // 0x18 Continue authentication
                0x00));                 // property length

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,             // DISCONNECT
                0x82)));                // 0x82 Protocol Error [MQTT-3.15.0-1]
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aPacketOnlyAServerSendsEndsAV311Connection() {
        EmbeddedConnection c = rooms.connected(connect311("c"));

        c.send(bytes(0xD0, 0x00));      // PINGRESP, from a client

        assertThat(c.written()).isEmpty();
        assertThat(c.isOpen()).isFalse();
    }
}
