package io.courtier.broker.protocol;

import io.courtier.codec.Disconnect;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;

/**
 * How the broker ends a connection that was accepted, and says why: a broken rule, a keep-alive
 * timeout, a takeover by another connection, an administrator, a shutdown. MQTT 5 clients get
 * DISCONNECT with the reason code (and a reason string when they asked for problem information),
 * 3.1/3.1.1 clients a close, since those versions have no server DISCONNECT. One place, so every
 * end logs one line and writes what this turn already queued before the socket closes.
 */
final class Closing {
    private Closing() {
    }

    /**
     * The client broke a rule: one log line naming it, its address and the rule, then DISCONNECT with the reason (v5)
     * or just a close (3.1/3.1.1). The will is published, as for any abnormal end.
     */
    static void violation(MqttConnection c, String rule, int reasonCode) {
        if (c.state == MqttConnection.State.CLOSED || c.state == MqttConnection.State.CLOSING) {
            return;
        }
        // Mosquitto's wording, so existing log filters keep working, plus the address and the rule.
        MqttConnection.LOG.info("Client {} disconnected due to {} (from {}): {}",
                c.clientId != null ? c.clientId : "<unknown>",
                reasonCode == ReasonCode.MALFORMED_PACKET ? "malformed packet" : "protocol error", c.address(), rule);
        c.brokeProtocol = true;
        closeWith(c, reasonCode, rule);
    }

    /** DISCONNECT with a reason (and reason string if asked for) to a v5 client, then close. */
    static void closeWith(MqttConnection c, int reasonCode, String why) {
        if (c.state == MqttConnection.State.CONNECTED && c.version != null && c.version.isV5()) {
            Disconnect d = new Disconnect(reasonCode, c.v5.reasonString(why));
            if (!c.out.fits(d)) {
                d = new Disconnect(reasonCode, Properties.NONE);
            }
            c.state = MqttConnection.State.CLOSING;
            c.broker.stats.messagesSent.increment();
            c.ctx.writeAndFlush(d).addListener(ChannelFutureListener.CLOSE);
        } else {
            // What this turn already wrote (a CONNACK, acknowledgements) goes out before the close.
            c.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** DISCONNECT received: a normal end, no will [MQTT-3.14.4-3]. */
    static void byClient(MqttConnection c) {
        c.disconnectReceived = true;
        c.ctx.close();
    }

    /** Another connection took the client id over; closed on this connection's own loop. */
    static void takenOver(MqttConnection c, boolean sessionContinues) {
        Runnable close = () -> {
            c.takenOver = true;
            c.takenOverBySameSession = sessionContinues;
            MqttConnection.LOG.info("Client {} already connected, closing old connection.", c.clientId);
            closeWith(c, ReasonCode.SESSION_TAKEN_OVER, "another connection took the client id over");
        };
        if (c.ctx.executor().inEventLoop()) {
            close.run();
        } else {
            c.ctx.executor().execute(close);
        }
    }

    /** The broker is closing: DISCONNECT 0x8B for v5 clients, a plain close for the others. */
    static void serverShuttingDown(MqttConnection c) {
        if (c.state == MqttConnection.State.CLOSED) {
            return;
        }
        c.will = null;
        closeWith(c, ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    }

    /**
     * Dynamic security changed who this client is (disabled, deleted, new password or roles):
     * DISCONNECT 0x98 "Administrative action" for v5 clients, a close for the others, no will,
     * as Mosquitto's plugin kicks them. The client logs in again under the new rules.
     */
    static void kickedByAdministrator(MqttConnection c) {
        if (c.state == MqttConnection.State.CLOSED || c.state == MqttConnection.State.CLOSING) {
            return;
        }
        c.will = null;
        MqttConnection.LOG.info("Client {} been disconnected by administrative action.", c.clientId); // Mosquitto's
        closeWith(c, ReasonCode.ADMINISTRATIVE_ACTION, "administrative action");
    }

    /**
     * An administrator disconnects the client (console): DISCONNECT 0x98 for MQTT 5, a close
     * otherwise; the will is published, as for any end the client did not ask for.
     */
    static void byAdministrator(MqttConnection c) {
        if (c.state == MqttConnection.State.CLOSED) {
            return;
        }
        MqttConnection.LOG.info("Client {} disconnected by an administrator.", c.describe());
        closeWith(c, ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
    }
}
