package io.courtier.broker.config;

/**
 * {@code max_qos} (and its alias {@code maximum_qos}), {@code max_topic_alias} and
 * {@code max_keepalive}: before the first {@code listener} line they set the broker-wide value;
 * inside a listener block they set that listener's own ({@link ListenerLimits}), so one port can
 * offer QoS 2 and another only QoS 0, as in Mosquitto.
 */
final class LimitDirectives {

    private LimitDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        BrokerConfig.Builder b = s.builder;
        ListenerDraft d = s.current;
        switch (l.name()) {
            case "max_qos", "maximum_qos" -> {
                int v = Values.integer(l, 0, 2);
                if (d == null) {
                    b.maxQos = v;
                } else {
                    d.maxQos = v;
                }
            }
            case "max_topic_alias" -> {
                int v = Values.integer(l, 0, 65535);
                if (d == null) {
                    b.maxTopicAlias = v;
                } else {
                    d.maxTopicAlias = v;
                }
            }
            case "max_keepalive" -> {
                int v = Values.integer(l, 10, 65535);
                if (d == null) {
                    b.maxKeepalive = v;
                } else {
                    d.maxKeepalive = v;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
