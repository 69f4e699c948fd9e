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

/** {@link UnsubscribeHandler} alone: always answered [MQTT-3.10.4-4], per filter in MQTT 5. */
class UnsubscribeHandlerTest {

    private final EmbeddedConnection.Rooms rooms = EmbeddedConnection.rooms();

    @AfterEach
    void close() {
        rooms.close();
    }

    @Test
    void anUnsubscribed311ClientIsAnsweredAndReceivesNothingMore() {
        EmbeddedConnection c = rooms.connected(connect311("c")).subscribe(1, "t", 0);

        c.send(packet(0xA2,             // UNSUBSCRIBE (flags 0010)
                bytes(0x00, 0x02),      // packet identifier 2
                utf8("t")));            // topic filter
        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0xB0, 0x02,             // UNSUBACK
                0x00, 0x02)));          // packet identifier 2: no reason codes before MQTT 5

        rooms.connected(connect311("pub")).send(packet(0x30, utf8("t"), raw("x")));
        assertThat(c.written()).isEmpty();
        assertThat(rooms.session("c").subscriptions()).isEmpty();
    }

    @Test
    void aV5UnsubackSaysForEachFilterWhetherASubscriptionExisted() {
        EmbeddedConnection c = rooms.connected(connect5("c")).subscribe(1, "t", 0);

        c.send(packet(0xA2, bytes(0x00, 0x02),
                bytes(0x00),            // property length
                utf8("t"),              // subscribed
                utf8("never")));        // not subscribed

        assertThat(c.writtenHex()).isEqualTo(hex(bytes(
                0xB0, 0x05,             // UNSUBACK
                0x00, 0x02,             // packet identifier 2
                0x00,                   // property length
                0x00,                   // t: Success
                0x11)));                // never: 0x11 No subscription existed
    }
}
