package io.courtier.broker.config;

/**
 * One {@code listener} block. {@code bindAddress} null binds every address; {@code port} 0
 * picks a free port (tests). {@code tls} is null for plain listeners. {@code security} is
 * this listener's own settings under {@code per_listener_settings true}, else null (use the
 * global ones). {@code maxConnections} -1 means unlimited. {@code admission} and {@code proxy} hold
 * Mosquitto 2.1's per-listener directives; {@code maxTopicAliasBroker} caps the topic aliases the
 * broker creates towards an MQTT 5 client ({@code max_topic_alias_broker}, 2.1's default 10);
 * {@code limits} holds the block's own max_qos, max_topic_alias and max_keepalive.
 */
public record ListenerConfig(int port, String bindAddress, String bindInterface, String socketDomain,
                             ListenerProtocol protocol, int maxConnections, String mountPoint,
                             TlsConfig tls, SecurityConfig security, String httpDir,
                             int websocketsHeadersSize, ListenerAdmission admission, ProxyProtocol proxy,
                             int maxTopicAliasBroker, ListenerLimits limits) {

    public ListenerConfig {
        if (limits == null) {
            limits = ListenerLimits.NONE;
        }
    }

    /** Mosquitto 2.1's default for max_topic_alias_broker. */
    public static final int DEFAULT_MAX_TOPIC_ALIAS_BROKER = 10;

    /** A plain MQTT listener on a port and address (null = all addresses). */
    public static ListenerConfig mqtt(int port, String bindAddress) {
        return new ListenerConfig(port, bindAddress, null, null, ListenerProtocol.MQTT, -1, null, null, null,
                null, 4096, ListenerAdmission.DEFAULT, ProxyProtocol.OFF, DEFAULT_MAX_TOPIC_ALIAS_BROKER,
                ListenerLimits.NONE);
    }

    public ListenerConfig withPort(int value) {
        return new ListenerConfig(value, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, admission, proxy,
                maxTopicAliasBroker, limits);
    }

    public ListenerConfig withProtocol(ListenerProtocol value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, value, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, admission, proxy,
                maxTopicAliasBroker, limits);
    }

    public ListenerConfig withTls(TlsConfig value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, value, security, httpDir, websocketsHeadersSize, admission, proxy,
                maxTopicAliasBroker, limits);
    }

    public ListenerConfig withSecurity(SecurityConfig value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, value, httpDir, websocketsHeadersSize, admission, proxy,
                maxTopicAliasBroker, limits);
    }

    public ListenerConfig withHttpDir(String value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, value, websocketsHeadersSize, admission, proxy,
                maxTopicAliasBroker, limits);
    }

    public ListenerConfig withAdmission(ListenerAdmission value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, value, proxy, maxTopicAliasBroker, limits);
    }

    public ListenerConfig withProxy(ProxyProtocol value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, admission, value, maxTopicAliasBroker, limits);
    }

    public ListenerConfig withMaxTopicAliasBroker(int value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, admission, proxy, value, limits);
    }

    public ListenerConfig withLimits(ListenerLimits value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize, admission, proxy, maxTopicAliasBroker,
                value);
    }
}
