package io.courtier.broker.config;

import java.nio.file.Path;

/** A listener block while it is being read; becomes a {@link ListenerConfig}. */
final class ListenerDraft {
    final String file;
    final int line;
    int port;
    String bindAddress;
    String bindInterface;
    String socketDomain;
    ListenerProtocol protocol = ListenerProtocol.MQTT;
    int maxConnections = -1;
    String mountPoint;
    String httpDir;
    int websocketsHeadersSize = 4096;
    Path certfile;
    Path keyfile;
    Path cafile;
    Path capath;
    String tlsVersion;
    String ciphers;
    Path crlfile;
    boolean requireCertificate;
    boolean useIdentityAsUsername;
    boolean useSubjectAsUsername;
    SecurityConfig security;

    ListenerDraft(String file, int line, int port, String bindAddress) {
        this.file = file;
        this.line = line;
        this.port = port;
        this.bindAddress = bindAddress;
    }

    ListenerConfig build() throws ConfigException {
        TlsConfig tls = null;
        if (certfile != null || keyfile != null) {
            if (certfile == null || keyfile == null) {
                throw ConfigException.at(file, line, "listener on port " + port
                        + " needs both certfile and keyfile for TLS.");
            }
            tls = new TlsConfig(certfile, keyfile, cafile, capath, tlsVersion, ciphers, crlfile, requireCertificate,
                    useIdentityAsUsername, useSubjectAsUsername);
        }
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections, mountPoint,
                tls, security, httpDir, websocketsHeadersSize);
    }
}
