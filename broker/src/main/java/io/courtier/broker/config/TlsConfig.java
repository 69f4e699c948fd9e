package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * A listener's TLS settings, as Mosquitto names them. Present on a listener only when
 * {@code certfile} and {@code keyfile} are set. Null fields were not configured.
 * {@code tlsVersion} is the minimum version ({@code tlsv1.2} or {@code tlsv1.3}); null allows
 * both. {@code ciphers} applies to TLS 1.2, {@code ciphersTls13} to TLS 1.3.
 */
public record TlsConfig(Path certfile, Path keyfile, Path cafile, Path capath, String tlsVersion,
                        String ciphers, Path crlfile, boolean requireCertificate,
                        boolean useIdentityAsUsername, boolean useSubjectAsUsername, String ciphersTls13) {
}
