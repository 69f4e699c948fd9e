package io.courtier.broker.config;

/**
 * A listener's {@code enable_proxy_protocol} (1 or 2; 0 when off) and
 * {@code proxy_protocol_v2_require_tls}: every connection starts with a PROXY protocol header
 * from a trusted load balancer, which gives the client's real address (and with version 2 the
 * TLS the proxy terminated). When the proxy ends TLS (the listener has no certfile),
 * {@code requireCertificate} and {@code useIdentityAsUsername} are the listener's
 * {@code require_certificate} and {@code use_identity_as_username}, checked against the PROXY v2
 * TLS fields.
 */
public record ProxyProtocol(int version, boolean requireTls, boolean requireCertificate,
                            boolean useIdentityAsUsername) {

    public static final ProxyProtocol OFF = new ProxyProtocol(0, false, false, false);

    public boolean enabled() {
        return version != 0;
    }
}
