package io.courtier.broker.config;

/**
 * Mosquitto 2.1's per-listener access directives: who may connect ({@code listener_allow_anonymous},
 * {@code listener_auto_id_prefix}, {@code accept_protocol_versions}, {@code websockets_origin}),
 * the PROXY protocol in front of a listener ({@code enable_proxy_protocol},
 * {@code proxy_protocol_v2_require_tls}) and the topic aliases the broker creates towards MQTT 5
 * clients ({@code max_topic_alias_broker}). They apply to the current listener without
 * {@code per_listener_settings}.
 */
final class ListenerAccessDirectives {

    /** Mosquitto refuses longer prefixes: generated ids must stay within its 65,535-byte strings. */
    private static final int MAX_AUTO_ID_PREFIX = 50;

    private ListenerAccessDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        switch (l.name()) {
            case "listener_allow_anonymous" -> s.listenerFor(l).allowAnonymous = Values.bool(l);
            case "listener_auto_id_prefix" -> {
                String prefix = Values.word(l);
                if (prefix.length() > MAX_AUTO_ID_PREFIX) {
                    throw l.error("listener_auto_id_prefix length must be <= " + MAX_AUTO_ID_PREFIX + ".");
                }
                s.listenerFor(l).autoIdPrefix = prefix;
            }
            case "accept_protocol_versions" -> acceptProtocolVersions(l, s);
            case "websockets_origin" -> s.listenerFor(l).websocketsOrigins.add(Values.word(l));
            case "enable_proxy_protocol" -> s.listenerFor(l).proxyProtocol = Values.integer(l, 1, 2);
            case "proxy_protocol_v2_require_tls" -> s.listenerFor(l).proxyRequireTls = Values.bool(l);
            case "max_topic_alias_broker" -> s.listenerFor(l).maxTopicAliasBroker = Values.integer(l, 0, 65535);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code 3, 4, 5} in any combination, comma or space separated: MQTT protocol levels. */
    private static void acceptProtocolVersions(ConfigLine l, ConfigState s) throws ConfigException {
        if (s.current == null) {
            // Mosquitto 2.1 does not let it configure the default listener either.
            throw l.error("The 'accept_protocol_versions' option requires a listener to be defined first.");
        }
        int levels = 0;
        for (String word : Values.string(l).split("[,\\s]+")) {
            switch (word) {
                case "3", "4", "5" -> levels |= ListenerAdmission.bit(Integer.parseInt(word));
                case "" -> {
                    // a leading separator
                }
                default -> throw l.error("Invalid accept_protocol_versions value (" + word
                        + "): expected 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0).");
            }
        }
        if (levels == 0) {
            throw l.error("Empty accept_protocol_versions value in configuration.");
        }
        s.current.protocolLevels = levels;
    }
}
