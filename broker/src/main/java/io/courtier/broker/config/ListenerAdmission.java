package io.courtier.broker.config;

import java.util.List;

/**
 * Who a listener lets in, with Mosquitto 2.1's per-listener directives (no
 * {@code per_listener_settings} needed): {@code listener_allow_anonymous} and
 * {@code listener_auto_id_prefix} (null: the security settings' own value),
 * {@code accept_protocol_versions} (a bit per MQTT protocol level 3, 4, 5) and
 * {@code websockets_origin} (empty: any Origin).
 */
public record ListenerAdmission(Boolean allowAnonymous, String autoIdPrefix, int protocolLevels,
                                List<String> websocketsOrigins) {

    /** Every protocol level Courtier speaks: 3 (MQTT 3.1), 4 (3.1.1), 5 (5.0). */
    public static final int ALL_LEVELS = bit(3) | bit(4) | bit(5);

    public static final ListenerAdmission DEFAULT = new ListenerAdmission(null, null, ALL_LEVELS, List.of());

    public ListenerAdmission {
        websocketsOrigins = List.copyOf(websocketsOrigins);
    }

    static int bit(int protocolLevel) {
        return 1 << protocolLevel;
    }

    /** Whether clients of this MQTT protocol level (3, 4 or 5) may connect here. */
    public boolean accepts(int protocolLevel) {
        return protocolLevel >= 0 && protocolLevel < 31 && (protocolLevels & bit(protocolLevel)) != 0;
    }

    /** The same admission with other accepted protocol levels (what a reload may change). */
    public ListenerAdmission withProtocolLevels(int value) {
        return new ListenerAdmission(allowAnonymous, autoIdPrefix, value, websocketsOrigins);
    }

    /** Whether a WebSocket upgrade with this Origin header (null: none sent) is allowed. */
    public boolean allowsOrigin(String origin) {
        return websocketsOrigins.isEmpty() || (origin != null && websocketsOrigins.contains(origin));
    }

    /** The security settings in force here: the listener's own values over {@code base}. */
    public SecurityConfig applyTo(SecurityConfig base) {
        SecurityConfig s = base;
        if (allowAnonymous != null) {
            s = s.withAllowAnonymous(allowAnonymous);
        }
        if (autoIdPrefix != null) {
            s = s.withAutoIdPrefix(autoIdPrefix);
        }
        return s;
    }
}
