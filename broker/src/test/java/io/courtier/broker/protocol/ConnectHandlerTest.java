package io.courtier.broker.protocol;

import static io.courtier.broker.protocol.EmbeddedConnection.CONNACK_311_ACCEPTED;
import static io.courtier.broker.protocol.EmbeddedConnection.bytes;
import static io.courtier.broker.protocol.EmbeddedConnection.connect311;
import static io.courtier.broker.protocol.EmbeddedConnection.connect5;
import static io.courtier.broker.protocol.EmbeddedConnection.hex;
import static io.courtier.broker.protocol.EmbeddedConnection.packet;
import static io.courtier.broker.protocol.EmbeddedConnection.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.session.Session;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ConnectHandler} (and the {@link SessionOpener} it hands over to) alone, on an embedded channel. */
class ConnectHandlerTest {

    private EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();

    @AfterEach
    void close() {
        rooms.close();
    }

    @Test
    void aValid311ConnectIsAcceptedAndTheClientHasAConnectedSession() {
        EmbeddedConnection c = rooms.open().send(connect311("c1"));

        assertThat(c.writtenHex()).isEqualTo(hex(CONNACK_311_ACCEPTED));
        Session s = rooms.session("c1");
        assertThat(s).isNotNull();
        assertThat(s.isConnected()).isTrue();
        assertThat(s.cleanSession()).isTrue();
    }

    @Test
    void aV5ConnackAnnouncesTheTopicAliasMaximumAndReceiveMaximumInMosquittosOrder() {
        EmbeddedConnection c = rooms.open().send(connect5("c5"));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0x20, 0x09,             // CONNACK, remaining length 9
                0x00,                   // acknowledge flags: no session present
                0x00,                   // reason code: Success
                0x06,                   // property length
                0x22, 0x00, 0x0A,       // Topic Alias Maximum: 10 (max_topic_alias)
                0x21, 0x00, 0x14)));    // Receive Maximum: 20 (max_inflight_messages)
    }

    @Test
    void anEmptyClientIdWithCleanSession0IsRejectedAndTheSocketClosed() {
        EmbeddedConnection c = rooms.open().send(packet(0x10, // CONNECT
                utf8("MQTT"),                                   // protocol name
                bytes(0x04,                                     // protocol level 4
                        0x00,                                   // connect flags: clean session 0
                        0x00, 0x3C),                            // keep alive 60 s
                utf8("")));                                     // empty client identifier

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0x20, 0x02,     // CONNACK
                0x00,           // no session present
                0x02)));        // 0x02 identifier rejected [MQTT-3.1.3-8]
        assertThat(c.isOpen()).isFalse();
        assertThat(rooms.broker.sessions.all()).isEmpty();
    }

    @Test
    void anEmptyClientIdWithCleanSessionIsAssignedOneThatV5IsTold() {
        EmbeddedConnection c = rooms.open().send(connect5(""));

        byte[] connack = c.written();
        assertThat(connack[3]).as("reason code").isEqualTo((byte) 0x00);
        Session s = rooms.broker.sessions.all().iterator().next();
        assertThat(s.clientId()).startsWith("auto-");
        // Assigned Client Identifier (0x12) follows the Topic Alias Maximum, as in Mosquitto's CONNACK.
        assertThat(hex(connack)).contains(hex(bytes(0x22, 0x00, 0x0A, 0x12)) + " " + hex(utf8(s.clientId())));
    }

    @Test
    void aKeepAliveAboveMaxKeepaliveRefuses311ClientsWithIdentifierRejected() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.maxKeepalive = 30);
        EmbeddedConnection c = rooms.open().send(connect311("slow")); // keep alive 60 s

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x20, 0x02, 0x00, 0x02)));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aKeepAliveAboveMaxKeepaliveIsShortenedForV5ByServerKeepAlive() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.maxKeepalive = 30);
        EmbeddedConnection c = rooms.open().send(connect5("short"));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0x20, 0x0C,             // CONNACK, remaining length 12
                0x00, 0x00,             // no session present, Success
                0x09,                   // property length
                0x22, 0x00, 0x0A,       // Topic Alias Maximum: 10
                0x13, 0x00, 0x1E,       // Server Keep Alive: 30 s [MQTT-3.2.2-21]
                0x21, 0x00, 0x14)));    // Receive Maximum: 20
    }

    @Test
    void aClientIdOutsideClientidPrefixesIsRejected() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.clientidPrefixes = List.of("sensor-"));
        EmbeddedConnection refused = rooms.open().send(connect311("camera-1"));
        EmbeddedConnection accepted = rooms.open().send(connect311("sensor-1"));

        assertThat(refused.writtenHex()).isEqualTo(hex(bytes(0x20, 0x02, 0x00, 0x02)));
        assertThat(accepted.writtenHex()).isEqualTo(hex(CONNACK_311_ACCEPTED));
    }

    @Test
    void anonymousClientsAreRefusedWhenNotAllowed() {
        rooms.close();
        rooms = EmbeddedConnection.rooms(b -> b.allowAnonymous(false));
        EmbeddedConnection v3 = rooms.open().send(connect311("anon3"));
        EmbeddedConnection v5 = rooms.open().send(connect5("anon5"));

        assertThat(v3.writtenHex()).isEqualTo(hex(bytes(0x20, 0x02, 0x00,
                0x05)));        // 0x05 not authorized
        assertThat(v5.writtenHex()).isEqualTo(hex(bytes(0x20, 0x03, 0x00,
                0x87,           // 0x87 Not authorized
                0x00)));        // no properties: the client asked for no reason string
        assertThat(rooms.broker.sessions.all()).isEmpty();
    }

    @Test
    void aV5AuthenticationMethodIsRefusedAsUnsupported() {
        EmbeddedConnection c = rooms.open().send(connect5("scram", bytes(
                0x17, 0x00,                                 // Request Problem Information: 0
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M'))); // Authentication Method: "SCRAM"

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x20, 0x03, 0x00,
                0x8C,           // 0x8C Bad authentication method [MQTT-4.12.0-1]
                0x00)));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void anUnsupportedProtocolLevelIsAnsweredInThe311FormThenClosed() {
        EmbeddedConnection c = rooms.open().send(packet(0x10, // CONNECT
                utf8("MQTT"),
                bytes(0x07,             // protocol level 7: no such version
                        0x02, 0x00, 0x3C),
                utf8("future")));

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(0x20, 0x02, 0x00,
                0x01)));        // 0x01 unacceptable protocol version [MQTT-3.1.2-2]
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aSecondConnectOnOneConnectionClosesIt() {
        EmbeddedConnection c = rooms.connected(connect311("twice"));

        c.send(connect311("twice"));

        assertThat(c.written()).isEmpty(); // 3.1.1 has no DISCONNECT from the server [MQTT-3.1.0-2]
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesTheSessionOverAndTheFirstIsToldWhy() {
        EmbeddedConnection first = rooms.connected(connect5("same"));

        EmbeddedConnection second = rooms.open().send(connect5("same"));

        assertThat(first.writtenHex()).isEqualTo(hex(bytes(
                0xE0, 0x01,     // DISCONNECT, remaining length 1: no property length (MQTT 5.0 3.14.2.2.1)
                0x8E)));        // 0x8E Session taken over
        assertThat(first.isOpen()).isFalse();
        assertThat(second.written()[3]).as("CONNACK reason").isEqualTo((byte) 0);
        assertThat(rooms.session("same").isConnected()).isTrue();
    }

    @Test
    void packetsPipelinedAfterAConnectStillBeingSetUpWaitForItsConnack() {
        rooms.connected(connect311("eager"));

        // Taking a session over hands the attach to the session's loop: the PINGREQ that came in
        // the same read is held by the ReadGate until the CONNACK is out.
        EmbeddedConnection c = rooms.open().send(connect311("eager"), bytes(0xC0, 0x00)); // CONNECT, PINGREQ

        assertThat(c.writtenHex()).isEqualTo(hex(CONNACK_311_ACCEPTED) + " D0 00"); // CONNACK, then PINGRESP
    }
}
