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

    ListenerDraft(String file, int line, int port, String bindAddress) {
        this.file = file;
        this.line = line;
        this.port = port;
        this.bindAddress = bindAddress;
    }

    ListenerConfig build(int websocketsHeadersSize) throws ConfigException {
        TlsConfig tls = null;
        if (firstTlsDirective != null) {
            if (certfile == null || keyfile == null) {
                throw ConfigException.at(file, line, "Listener on port " + port + " sets " + firstTlsDirective
                        + " but TLS needs both certfile and keyfile.");
            }
            tls = new TlsConfig(certfile, keyfile, cafile, capath, tlsVersion, ciphers, crlfile, requireCertificate,
                    useIdentityAsUsername, useSubjectAsUsername, ciphersTls13);
        }
        return new ListenerConfig(port, bindAddress, bindInterface, socketDomain, protocol, maxConnections, mountPoint,
                tls, security, httpDir, websocketsHeadersSize);
    }

    /** Whether this listener and another would try to bind the same socket. */
    boolean clashesWith(ListenerDraft other) {
        if (port == 0 || port != other.port) {
            return false; // port 0: the system picks a free port for each
        }
        return bindAddress == null || other.bindAddress == null || bindAddress.equals(other.bindAddress);
    }
}
