package io.courtier.broker.protocol;

import io.courtier.codec.Connack;
import io.courtier.codec.MqttCodec;
import io.courtier.codec.MqttDecoderException;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.netty.channel.ChannelFutureListener;

/**
 * A connection turned away before it is connected: a refusing CONNACK with the reason in the
 * form the client's version can read (or a plain close where it has none), one log line in
 * Mosquitto's words, then the close. Also the reading of a malformed packet, which before
 * CONNECT is accepted is answered with a CONNACK where the standard allows it, after it with a
 * violation ({@link Closing#violation}).
 */
final class Refusals {
    private Refusals() {
    }

    /** The decoder rejected the bytes: a refusing CONNACK while no CONNECT was accepted, else a violation. */
    static void rejectMalformed(MqttConnection c, MqttDecoderException e) {
        if (c.state == MqttConnection.State.AWAIT_CONNECT) {
            MqttCodec codec = c.codec();
            MqttVersion v = codec != null ? codec.decoder().version() : null;
            if (e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // [MQTT-3.1.2-2]: answer CONNACK 0x01 in the 3.1.1 form the client can read, then close.
                refuseConnect(c, MqttVersion.V3_1_1, ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION, e.getMessage());
                return;
            }
            if (e.reasonCode() == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID && v != null) {
                refuseConnect(c, v, v.isV5() ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID
                        : ReasonCode.V3_IDENTIFIER_REJECTED, e.getMessage());
                return;
            }
            if (v != null && v.isV5()) {
                // A v5 server may answer a bad CONNECT with a CONNACK carrying the reason (MQTT 5.0 4.13.1).
                refuseConnect(c, v, connackCode(e.reasonCode()), e.getMessage());
                return;
            }
        }
        c.violation(e.getMessage(), e.reasonCode());
    }

    /** The CONNACK form of a decoder error: the codes CONNACK may carry, else "Protocol Error". */
    private static int connackCode(int code) {
        return switch (code) {
            case ReasonCode.MALFORMED_PACKET, ReasonCode.PROTOCOL_ERROR, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    ReasonCode.TOPIC_NAME_INVALID, ReasonCode.PACKET_TOO_LARGE, ReasonCode.QUOTA_EXCEEDED,
                    ReasonCode.PAYLOAD_FORMAT_INVALID, ReasonCode.RETAIN_NOT_SUPPORTED,
                    ReasonCode.QOS_NOT_SUPPORTED -> code;
            default -> ReasonCode.PROTOCOL_ERROR;
        };
    }

    /** Sends a refusing CONNACK and closes; the client never becomes connected. */
    static void refuseConnect(MqttConnection c, MqttVersion v, int code, String why) {
        MqttConnection.LOG.info("Refused connection from {} ({}): {}", c.address(), idOrNone(c), why);
        sendRefusal(c, v, code, why);
    }

    /** A refused login, logged with Mosquitto's words (people grep for them), then our detail. */
    static void refuseUnauthorised(MqttConnection c, MqttVersion v, int code, String why) {
        MqttConnection.LOG.info("Client <unknown> disconnected, not authorised. ({} from {}: {})",
                idOrNone(c), c.address(), why);
        sendRefusal(c, v, code, why);
    }

    /**
     * Too many logins are waiting to be checked: CONNACK 0x89 "server busy" for MQTT 5; MQTT
     * 3.1/3.1.1 have no such code (0x03 "server unavailable" would tell a client to try another
     * server), so the connection is closed, as the issue of a bounded login queue asks.
     */
    static void refuseBusy(MqttConnection c, MqttVersion v, String why) {
        if (v.isV5()) {
            refuseConnect(c, v, ReasonCode.SERVER_BUSY, why);
            return;
        }
        MqttConnection.LOG.info("Refused connection from {} ({}): {}", c.address(), idOrNone(c), why);
        c.state = MqttConnection.State.CLOSED;
        c.ctx.close();
    }

    private static void sendRefusal(MqttConnection c, MqttVersion v, int code, String why) {
        c.setEncoderVersion(v);
        c.state = MqttConnection.State.CLOSED;
        Properties props = v.isV5() ? c.v5.reasonString(why) : Properties.NONE;
        c.ctx.writeAndFlush(new Connack(false, code, props)).addListener(ChannelFutureListener.CLOSE);
    }

    private static String idOrNone(MqttConnection c) {
        return c.clientId == null ? "no client id" : c.clientId;
    }
}
