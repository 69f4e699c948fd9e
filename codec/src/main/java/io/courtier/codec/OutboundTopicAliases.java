package io.courtier.codec;

import java.util.HashMap;

/**
 * The topic aliases a server assigns towards one MQTT 5 client, for the life of one network
 * connection (MQTT 5.0 section 3.3.2.3.4: alias mappings are not kept across connections).
 * First come, first served, as Mosquitto 2.1 does: the first {@code maximum} distinct topics
 * sent get aliases 1..maximum, kept for the connection; later topics go out in full. The
 * first PUBLISH on a topic carries the topic and its new alias, later ones an empty topic and
 * the alias [MQTT-3.3.2-12].
 *
 * <p>Used by the connection's own encoder on its event loop. A look-up allocates nothing; only
 * an assignment adds an entry, at most {@code maximum} of them.
 */
final class OutboundTopicAliases {

    private final int maximum;
    private final HashMap<String, Integer> byTopic;

    OutboundTopicAliases(int maximum) {
        this.maximum = maximum;
        this.byTopic = new HashMap<>(Math.min(maximum, 64) * 2);
    }

    /**
     * The alias to send with a PUBLISH on {@code topic}: positive when the topic already has one
     * (send an empty topic), negative when it was assigned now (send the topic and the alias),
     * 0 when the table is full (send the topic alone).
     */
    int aliasFor(String topic) {
        Integer alias = byTopic.get(topic);
        if (alias != null) {
            return alias;
        }
        if (byTopic.size() >= maximum) {
            return 0;
        }
        int next = byTopic.size() + 1;
        byTopic.put(topic, next);
        return -next;
    }
}
