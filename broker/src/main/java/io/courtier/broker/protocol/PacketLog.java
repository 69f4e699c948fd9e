package io.courtier.broker.protocol;

import io.courtier.codec.Connack;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.Publish;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import io.courtier.codec.Unsubscribe;

/**
 * The packet trace {@code courtier -v} (log_type debug) prints, worded as Mosquitto's: tutorials
 * show "Received PUBLISH from client (d0, q1, r0, m1, 'topic', ... (7 bytes))" and people look
 * for those lines. Only built when debug logging is on.
 */
final class PacketLog {
    private PacketLog() {
    }

    static String received(String client, MqttPacket packet) {
        return line("Received", "from", client, packet);
    }

    static String sending(String client, MqttPacket packet) {
        return line("Sending", "to", client, packet);
    }

    private static String line(String verb, String preposition, String client, MqttPacket packet) {
        StringBuilder b = new StringBuilder(96).append(verb).append(' ').append(packet.type()).append(' ')
                .append(preposition).append(' ').append(client == null ? "<unknown>" : client);
        if (packet instanceof Publish p) {
            b.append(" (d").append(p.dup() ? 1 : 0).append(", q").append(p.qos()).append(", r")
                    .append(p.retained() ? 1 : 0).append(", m").append(p.packetId()).append(", '").append(p.topic())
                    .append("', ... (").append(p.payload().readableBytes()).append(" bytes))");
        } else if (packet instanceof Connack c) {
            b.append(" (").append(c.sessionPresent() ? 1 : 0).append(", ").append(c.reasonCode()).append(')');
        } else if (packet instanceof io.courtier.codec.PublishAck a) {
            ack(b, a.packetId(), a.reasonCode());
        } else if (packet instanceof Subscribe s) {
            for (Subscription sub : s.subscriptions()) {
                b.append("\n\t").append(sub.filter()).append(" (QoS ").append(sub.qos()).append(')');
            }
        } else if (packet instanceof Unsubscribe u) {
            for (String filter : u.filters()) {
                b.append("\n\t").append(filter);
            }
        }
        return b.toString();
    }

    private static void ack(StringBuilder b, int packetId, int reasonCode) {
        b.append(" (m").append(packetId).append(", rc").append(reasonCode).append(')');
    }
}
