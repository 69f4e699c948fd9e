package io.courtier.broker.config;

/**
 * One {@code listener} block. {@code bindAddress} null binds every address; {@code port} 0
 * picks a free port (tests). {@code tls} is null for plain listeners. {@code security} is
 * this listener's own settings under {@code per_listener_settings true}, else null (use the
 * global ones). {@code maxConnections} -1 means unlimited.
 */
public record ListenerConfig(int port, String bindAddress, String bindInterface, String socketDomain,
                             ListenerProtocol protocol, int maxConnections, String mountPoint,
                             TlsConfig tls, SecurityConfig security, String httpDir,
                             int websocketsHeadersSize) {

    /** A plain MQTT listener on a port and address (null = all addresses). */
    public static ListenerConfig mqtt(int port, String bindAddress) {
        return new ListenerConfig(port, bindAddress, null, null, ListenerProtocol.MQTT, -1, null, null, null,
                null, 4096);
    }

    public ListenerConfig withPort(int value) {
        return new ListenerConfig(value, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize);
    }

    public ListenerConfig withProtocol(ListenerProtocol value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, value, maxConnections,
                mountPoint, tls, security, httpDir, websocketsHeadersSize);
    }

    public ListenerConfig withTls(TlsConfig value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, value, security, httpDir, websocketsHeadersSize);
    }

    public ListenerConfig withSecurity(SecurityConfig value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, value, httpDir, websocketsHeadersSize);
    }

    public ListenerConfig withHttpDir(String value) {
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections,
                mountPoint, tls, security, value, websocketsHeadersSize);
    }
}
