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
        switch (l.name()) {
            case "max_qos", "maximum_qos" ->
                    set(s, Values.integer(l, 0, 2), (b, v) -> b.maxQos = v, (d, v) -> d.maxQos = v);
            case "max_topic_alias" ->
                    set(s, Values.integer(l, 0, 65535), (b, v) -> b.maxTopicAlias = v, (d, v) -> d.maxTopicAlias = v);
            case "max_keepalive" ->
                    set(s, Values.integer(l, 10, 65535), (b, v) -> b.maxKeepalive = v, (d, v) -> d.maxKeepalive = v);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The broker-wide value before any listener line, else the current listener's own. */
    private static void set(ConfigState s, int value, java.util.function.ObjIntConsumer<BrokerConfig.Builder> global,
                            java.util.function.ObjIntConsumer<ListenerDraft> listener) {
        if (s.current == null) {
            global.accept(s.builder, value);
        } else {
            listener.accept(s.current, value);
        }
    }
}
