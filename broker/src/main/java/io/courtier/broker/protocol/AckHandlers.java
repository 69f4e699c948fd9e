package io.courtier.broker.protocol;

import io.courtier.codec.Properties;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.ReasonCode;

/** PUBACK, PUBREC, PUBREL and PUBCOMP: the QoS 1 and QoS 2 flows (MQTT 3.1.1 section 4.3, MQTT 5.0 section 4.3). */
final class AckHandlers {
    private AckHandlers() {
    }

    /** A subscriber acknowledged a QoS 1 delivery (whatever its reason code: the delivery is over). */
    static void puback(MqttConnection c, Puback p) {
        c.session.onPuback(p.packetId());
    }

    /**
     * First half of an outbound QoS 2 delivery: answer PUBREL [MQTT-4.3.3-1]. A v5 PUBREC with a
     * failure code (0x80 and up) ends the delivery without PUBREL (MQTT 5.0 4.3.3).
     */
    static void pubrec(MqttConnection c, Pubrec p) {
        if (p.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR) {
            c.session.onPubrecFailure(p.packetId());
            return;
        }
        if (c.session.onPubrec(p.packetId())) {
            return; // the session sends PUBREL, once a persistent one has stored the PUBREC
        }
        int code = !c.isV5() ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        c.send(new Pubrel(p.packetId(), code, Properties.NONE));
    }

    /** Second half of an inbound QoS 2 publish: forget the id, answer PUBCOMP [MQTT-4.3.3-2]. */
    static void pubrel(MqttConnection c, Pubrel p) {
        c.qos2Released(p.packetId());
        // A persistent session answers once the store has forgotten the id too.
        c.session.endInboundQos2(p.packetId(), known -> {
            int code = known || !c.isV5() ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
            c.send(new Pubcomp(p.packetId(), code, Properties.NONE));
        });
    }

    /** An outbound QoS 2 delivery is complete. */
    static void pubcomp(MqttConnection c, Pubcomp p) {
        c.session.onPubcomp(p.packetId());
    }
}
