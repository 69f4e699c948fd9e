package io.courtier.broker.protocol;

import io.courtier.codec.Disconnect;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;

/**
 * DISCONNECT (MQTT 3.1.1 section 3.14, MQTT 5.0 section 3.14). Reason 0x00 is a normal end and
 * the will is discarded [MQTT-3.14.4-3]; any other reason (0x04 "with will message", or an
 * error the client reports) leaves the will to be published [MQTT-3.1.2-8]. A v5 client may
 * change its Session Expiry Interval here, but not from 0 to non-zero [MQTT-3.14.2-2].
 */
final class DisconnectHandler {
    private DisconnectHandler() {
    }

    static void handle(MqttConnection c, Disconnect packet) {
        Long expiry = packet.properties().fourByte(PropertyId.SESSION_EXPIRY_INTERVAL);
        if (expiry != null) {
            if (c.v5.connectSessionExpiry == 0 && expiry != 0) {
                c.violation("DISCONNECT sets a Session Expiry Interval after CONNECT had 0 [MQTT-3.14.2-2]",
                        ReasonCode.PROTOCOL_ERROR);
                return;
            }
            c.session.setExpiryInterval(expiry);
        }
        if (packet.reasonCode() != ReasonCode.NORMAL_DISCONNECTION) {
            MqttConnection.LOG.info("Client {} disconnected with reason 0x{}.", c.clientId,
                    Integer.toHexString(packet.reasonCode()));
            c.ctx.close(); // the will, if any, is published as for an unexpected close
            return;
        }
        Closing.byClient(c);
    }
}
