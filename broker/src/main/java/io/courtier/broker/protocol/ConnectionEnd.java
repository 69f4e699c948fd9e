package io.courtier.broker.protocol;

import io.courtier.broker.model.Message;
import io.courtier.broker.security.Authorizer;
import io.courtier.broker.session.Session;
import io.courtier.codec.Will;
import io.courtier.plugin.Access;

/**
 * What the end of a connected client's connection leaves behind: the log line saying how it
 * ended, its will (published now, after its delay, or not at all [MQTT-3.1.2-8]
 * [MQTT-3.14.4-3] [MQTT-3.1.3-9]), and its session detached and left to expire. Kept apart from
 * the channel handler because it is the one place that decides whether a will goes out.
 */
final class ConnectionEnd {
    private ConnectionEnd() {
    }

    /** On the connection's loop, after the socket closed. */
    static void ended(MqttConnection c) {
        BrokerContext broker = c.broker;
        broker.sessions.clientDisconnected();
        if (c.presenceEnd != null) {
            c.presenceEnd.run(); // out of the cluster's client table
            c.presenceEnd = null;
        }
        if (c.disconnectReceived) {
            MqttConnection.LOG.info("Client {} disconnected.", c.clientId);
        } else if (!c.timedOut && !c.takenOver && !c.brokeProtocol) { // those already said why in one line
            MqttConnection.LOG.info("Client {} closed its connection.", c.clientId);
        }
        Will w = c.disconnectReceived || broker.shuttingDown ? null : c.will;
        c.will = null;
        if (c.takenOver) {
            // The new connection owns the session now. The will goes out at once unless the new
            // connection resumes the session within the will delay [MQTT-3.1.3-9].
            if (w != null && !(c.takenOverBySameSession && Wills.delaySeconds(w) > 0)) {
                publishWill(c, w);
            }
            return;
        }
        Session s = c.session;
        s.execute(() -> {
            s.detach(c.out);
            if (w != null) {
                long delay = Math.min(Wills.delaySeconds(w), s.expiryInterval());
                if (delay > 0) {
                    s.scheduleWill(delay, () -> publishWill(c, w));
                } else {
                    publishWill(c, w);
                }
            }
            SessionCleanup.detached(broker, s);
        });
    }

    /** The will goes out if the client's ACL lets it write the will's topic, asked when it is sent. */
    private static void publishWill(MqttConnection c, Will w) {
        Authorizer a = c.authorizer();
        if (a.isAsync()) {
            Boolean now = a.decideNow(Access.WRITE, c.clientId, c.username, w.topic());
            if (now == null) { // a backend has to be asked: the will goes out when it answers
                a.decide(Access.WRITE, c.clientId, c.username, w.topic()).thenAccept(ok -> {
                    if (ok) {
                        c.ctx.executor().execute(() -> sendWill(c, w));
                    }
                });
                return;
            }
            if (now) {
                sendWill(c, w);
            }
            return;
        }
        if (!a.canPublish(c.clientId, c.username, w.topic())) {
            return;
        }
        sendWill(c, w);
    }

    private static void sendWill(MqttConnection c, Will w) {
        Message m = Wills.message(w, c.clientId, c.maxQos()).publishedBy(c.username);
        try {
            c.broker.ingest.publishWill(m, c.ctx.executor());
        } finally {
            m.release();
        }
    }
}
