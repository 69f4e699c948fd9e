package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * A listener's TLS settings, as Mosquitto names them. Present on a listener only when
 * {@code certfile} (and {@code keyfile}) are set. Null fields were not configured.
 */
public record TlsConfig(Path certfile, Path keyfile, Path cafile, Path capath, String tlsVersion,
                        String ciphers, Path crlfile, boolean requireCertificate,
                        boolean useIdentityAsUsername, boolean useSubjectAsUsername) {
}
