package io.courtier.broker.protocol;

import io.courtier.broker.model.Subscriber;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Topics;
import io.courtier.codec.Unsuback;
import io.courtier.codec.Unsubscribe;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE (MQTT 3.1.1 section 3.10): always answered with UNSUBACK [MQTT-3.10.4-4]. */
final class UnsubscribeHandler {
    /** {@code log_type unsubscribe} (the cli maps this logger's lines to that type; off by default). */
    private static final org.slf4j.Logger UNSUBSCRIBE_LOG =
            org.slf4j.LoggerFactory.getLogger("courtier.unsubscribe");

    private UnsubscribeHandler() {
    }

    static void handle(MqttConnection c, Unsubscribe packet) {
        for (String filter : packet.filters()) {
            if (TopicDepth.exceeds(filter)) {
                // As for SUBSCRIBE: Mosquitto answers a filter over its depth limit with 0x81.
                c.violation(TopicDepth.rule("unsubscribe filter"), ReasonCode.MALFORMED_PACKET);
                return;
            }
        }
        List<Integer> codes = new ArrayList<>(packet.filters().size());
        for (String asSent : packet.filters()) {
            String filter = c.mountPoint == null ? asSent : c.mountPoint.filter(asSent);
            String group = Topics.shareGroup(filter);
            String plain = Topics.shareFilter(filter);
            if (!c.authorizer().canUnsubscribe(c.clientId, c.username, filter)) {
                // Dynamic security's unsubscribe ACLs: Mosquitto keeps the subscription and says so (v5).
                codes.add(ReasonCode.NOT_AUTHORIZED);
                continue;
            }
            Subscriber removed = c.broker.tree.unsubscribe(c.clientId, group, plain);
            c.session.removeSubscription(group, plain);
            codes.add(removed != null ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
            // Mosquitto's log_type unsubscribe line: "client-id filter", whether it existed or not.
            UNSUBSCRIBE_LOG.info("{} {}", c.clientId, filter);
        }
        if (!c.session.cleanSession()) {
            c.broker.presence.online(c.session); // the cluster's copy, should this node die
        }
        // A persistent session's UNSUBACK waits until the removal is on disk.
        c.session.whenStored(() -> c.send(new Unsuback(packet.packetId(), c.isV5() ? codes : List.of(),
                Properties.NONE)));
    }
}
