package io.courtier.broker.protocol;

import io.courtier.broker.security.dynsec.DynamicSecurity;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;
import io.netty.buffer.Unpooled;

/**
 * A PUBLISH to {@code $CONTROL/...} where dynamic security is on: Mosquitto hands it to the
 * plugin and routes it to nobody. The ACL has already let it through (only the plugin's
 * administrators may publish there). The command runs off the event loop, since it may hash
 * passwords; its response goes to the requester alone, on
 * {@code $CONTROL/dynamic-security/v1/response}, at QoS 0 as Mosquitto sends it.
 */
final class ControlHandler {
    private ControlHandler() {
    }

    /** Takes the message if it is a control request; false lets it be routed as usual. */
    static boolean handles(MqttConnection c, Publish p) {
        if (!p.topic().startsWith("$CONTROL/")) {
            return false;
        }
        DynamicSecurity ds = c.broker.dynamicSecurity(c.listener);
        if (ds == null) {
            return false;
        }
        if (!p.topic().equals(DynamicSecurity.TOPIC)) {
            return true; // another feature's control topic: none is implemented, and it goes nowhere
        }
        byte[] payload = new byte[p.payload().readableBytes()];
        p.payload().getBytes(p.payload().readerIndex(), payload);
        // MQTT 5 requesters (mosquitto_ctrl, mosquitto_rr) match the answer by its correlation data.
        byte[] correlation = p.properties().binary(PropertyId.CORRELATION_DATA);
        Properties props = correlation == null ? Properties.NONE
                : Properties.builder().add(PropertyId.CORRELATION_DATA, correlation).build();
        Session session = c.session;
        String clientId = c.clientId;
        String username = c.username;
        c.broker.logins().workers().execute(() -> {
            byte[] response = ds.handle(clientId, username, payload);
            session.execute(() -> respond(session, response, props));
        });
        return true;
    }

    private static void respond(Session session, byte[] response, Properties props) {
        if (!session.isConnected() || !session.mayRead(DynamicSecurity.RESPONSE_TOPIC)) {
            return;
        }
        Message m = new Message(DynamicSecurity.RESPONSE_TOPIC, 0, false, props,
                Unpooled.wrappedBuffer(response), null);
        try {
            session.deliver(m, 0, false);
        } finally {
            m.release();
        }
    }
}
