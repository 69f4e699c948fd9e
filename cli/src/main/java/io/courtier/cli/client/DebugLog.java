package io.courtier.cli.client;

import io.courtier.client.PacketListener;
import io.courtier.codec.Connack;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import io.courtier.codec.Unsubscribe;

/** {@code -d}: one line per packet on stdout, worded as Mosquitto's tools word them. */
final class DebugLog implements PacketListener {

    private final Output out;
    private String id;

    DebugLog(Output out, String clientId) {
        this.out = out;
        this.id = clientId == null || clientId.isEmpty() ? "(null)" : clientId;
    }

    @Override
    public void sending(MqttPacket p) {
        if (p instanceof Publish m) {
            log("sending PUBLISH (d" + bit(m.dup()) + ", q" + m.qos() + ", r" + bit(m.retained()) + ", m" + m.packetId()
                    + ", '" + m.topic() + "', ... (" + m.payload().readableBytes() + " bytes))");
        } else if (p instanceof Puback a) {
            log("sending PUBACK (m" + a.packetId() + ", rc" + a.reasonCode() + ")");
        } else if (p instanceof Pubrec r) {
            log("sending PUBREC (m" + r.packetId() + ", rc" + r.reasonCode() + ")");
        } else if (p instanceof Pubrel r) {
            log("sending PUBREL (m" + r.packetId() + ")");
        } else if (p instanceof Pubcomp c) {
            log("sending PUBCOMP (m" + c.packetId() + ")");
        } else if (p instanceof Subscribe s) {
            for (Subscription sub : s.subscriptions()) {
                int options = (sub.noLocal() ? 0x04 : 0) | (sub.retainAsPublished() ? 0x08 : 0) | (sub.retainHandling() << 4);
                log("sending SUBSCRIBE (Mid: " + s.packetId() + ", Topic: " + sub.filter() + ", QoS: " + sub.qos()
                        + ", Options: 0x" + String.format("%02x", options) + ")");
            }
        } else if (p instanceof Unsubscribe u) {
            for (String f : u.filters()) {
                log("sending UNSUBSCRIBE (Mid: " + u.packetId() + ", Topic: " + f + ")");
            }
        } else {
            log("sending " + p.type());
        }
    }

    @Override
    public void received(MqttPacket p) {
        if (p instanceof Connack c) {
            String assigned = c.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
            if (assigned != null) {
                id = assigned;
            }
            log("received CONNACK (" + c.reasonCode() + ")");
        } else if (p instanceof Publish m) {
            log("received PUBLISH (d" + bit(m.dup()) + ", q" + m.qos() + ", r" + bit(m.retained()) + ", m" + m.packetId()
                    + ", '" + m.topic() + "', ... (" + m.payload().readableBytes() + " bytes))");
        } else if (p instanceof Puback a) {
            log("received PUBACK (Mid: " + a.packetId() + ", RC:" + a.reasonCode() + ")");
        } else if (p instanceof Pubrec r) {
            log("received PUBREC (Mid: " + r.packetId() + ")");
        } else if (p instanceof Pubrel r) {
            log("received PUBREL (Mid: " + r.packetId() + ")");
        } else if (p instanceof Pubcomp c) {
            log("received PUBCOMP (Mid: " + c.packetId() + ", RC:" + c.reasonCode() + ")");
        } else {
            log("received " + p.type());
        }
    }

    private void log(String text) {
        out.line("Client " + id + " " + text);
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
