package io.courtier.broker.protocol;

import io.courtier.codec.Disconnect;
import io.courtier.codec.ReasonCode;

/** DISCONNECT (MQTT 3.1.1 section 3.14): a normal end; the will is discarded [MQTT-3.14.4-3]. */
final class DisconnectHandler {
    private DisconnectHandler() {
    }

    static void handle(MqttConnection c, Disconnect packet) {
        if (packet.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            c.ctx.close(); // MQTT 5: the client asks for its will to be published
            return;
        }
        c.disconnectedByClient();
    }
}
