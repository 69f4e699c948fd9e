package io.courtier.broker.config;

/**
 * The protocol limits a listener may set for its own clients, overriding the broker-wide value:
 * {@code max_qos}, {@code max_topic_alias} and {@code max_keepalive} (Mosquitto sets the first two
 * per listener). A field of {@link #INHERIT} means the listener takes the broker-wide value.
 */
public record ListenerLimits(int maxQos, int maxTopicAlias, int maxKeepalive) {

    public static final int INHERIT = -1;

    /** No override: every limit is the broker-wide one. */
    public static final ListenerLimits NONE = new ListenerLimits(INHERIT, INHERIT, INHERIT);

    public int maxQos(BrokerConfig global) {
        return maxQos != INHERIT ? maxQos : global.maxQos();
    }

    public int maxTopicAlias(BrokerConfig global) {
        return maxTopicAlias != INHERIT ? maxTopicAlias : global.maxTopicAlias();
    }

    public int maxKeepalive(BrokerConfig global) {
        return maxKeepalive != INHERIT ? maxKeepalive : global.maxKeepalive();
    }
}
