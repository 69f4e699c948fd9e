package io.courtier.broker.config;

import java.nio.file.Path;

/** A listener block while it is being read; becomes a {@link ListenerConfig}. */
final class ListenerDraft {
    /** Where the listener was declared: errors about the block as a whole point here. */
    String file;
    int line;
    int port;
    String bindAddress;
    String bindInterface;
    String socketDomain;
    ListenerProtocol protocol = ListenerProtocol.MQTT;
    int maxConnections = -1;
    String mountPoint;
    /** max_qos, max_topic_alias, max_keepalive set in this block, else {@link ListenerLimits#INHERIT}. */
    int maxQos = ListenerLimits.INHERIT;
    int maxTopicAlias = ListenerLimits.INHERIT;
    int maxKeepalive = ListenerLimits.INHERIT;
    String httpDir;
    Path certfile;
    Path keyfile;
    Path cafile;
    Path capath;
    String tlsVersion;
    String ciphers;
    String ciphersTls13;
    Path crlfile;
    boolean requireCertificate;
    boolean useIdentityAsUsername;
    boolean useSubjectAsUsername;
    /** The first TLS directive seen, named in the error when certfile or keyfile is missing. */
    String firstTlsDirective;
    /** This listener's own security settings under per_listener_settings, else null. */
    SecurityConfig security;
    /** Mosquitto 2.1's per-listener directives ({@link ListenerAccessDirectives}). */
    Boolean allowAnonymous;
    String autoIdPrefix;
    int protocolLevels = ListenerAdmission.ALL_LEVELS;
    final java.util.List<String> websocketsOrigins = new java.util.ArrayList<>();
    int proxyProtocol;
    boolean proxyRequireTls;
    int maxTopicAliasBroker = ListenerConfig.DEFAULT_MAX_TOPIC_ALIAS_BROKER;

    ListenerDraft(String file, int line, int port, String bindAddress) {
        this.file = file;
        this.line = line;
        this.port = port;
        this.bindAddress = bindAddress;
    }

    ListenerConfig build(int websocketsHeadersSize) throws ConfigException {
        TlsConfig tls = null;
        ProxyProtocol proxy = proxyProtocol == 0 ? ProxyProtocol.OFF
                : new ProxyProtocol(proxyProtocol, proxyRequireTls, false, false);
        if (firstTlsDirective != null && certfile == null && keyfile == null && proxyProtocol != 0) {
            // TLS ended at the proxy: the certificate checks read what PROXY v2 says of it.
            proxy = proxiedTls();
        } else if (firstTlsDirective != null) {
            if (certfile == null || keyfile == null) {
                throw ConfigException.at(file, line, "Listener on port " + port + " sets " + firstTlsDirective
                        + " but TLS needs both certfile and keyfile.");
            }
            tls = new TlsConfig(certfile, keyfile, cafile, capath, tlsVersion, ciphers, crlfile, requireCertificate,
                    useIdentityAsUsername, useSubjectAsUsername, ciphersTls13);
        }
        if (proxyRequireTls && proxyProtocol != 2) {
            throw ConfigException.at(file, line, "Listener on port " + port
                    + " sets proxy_protocol_v2_require_tls but not enable_proxy_protocol 2.");
        }
        ListenerAdmission admission = new ListenerAdmission(allowAnonymous, autoIdPrefix, protocolLevels,
                websocketsOrigins);
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections, mountPoint,
                tls, security, httpDir, websocketsHeadersSize, admission, proxy, maxTopicAliasBroker,
                new ListenerLimits(maxQos, maxTopicAlias, maxKeepalive));
    }

    /**
     * A PROXY listener without certfile/keyfile: only require_certificate and
     * use_identity_as_username have a meaning, and only with version 2, which carries the TLS
     * facts (mosquitto.conf(5), enable_proxy_protocol).
     */
    private ProxyProtocol proxiedTls() throws ConfigException {
        boolean otherTls = cafile != null || capath != null || crlfile != null || tlsVersion != null
                || ciphers != null || ciphersTls13 != null || useSubjectAsUsername;
        if (otherTls || proxyProtocol != 2) {
            throw ConfigException.at(file, line, "Listener on port " + port + " sets " + firstTlsDirective
                    + " with enable_proxy_protocol " + proxyProtocol + " and no certfile/keyfile: behind a proxy"
                    + " that ends TLS only require_certificate and use_identity_as_username apply, with"
                    + " enable_proxy_protocol 2.");
        }
        return new ProxyProtocol(2, proxyRequireTls, requireCertificate, useIdentityAsUsername);
    }

    /** Whether this listener and another would try to bind the same socket. */
    boolean clashesWith(ListenerDraft other) {
        if (port == 0 || port != other.port) {
            return false; // port 0: the system picks a free port for each
        }
        return bindAddress == null || other.bindAddress == null || bindAddress.equals(other.bindAddress);
    }
}
