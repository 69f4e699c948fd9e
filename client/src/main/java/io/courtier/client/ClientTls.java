package io.courtier.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a client {@link SslContext} from the PEM files Mosquitto's tools take: a CA file and/or
 * a CA directory, an optional client certificate and key, a TLS version. The server's
 * certificate chain is always checked; {@code insecure} only skips matching its name to the host.
 */
public final class ClientTls {
    private ClientTls() {
    }

    /** Thrown for a missing or unreadable file, or a TLS version this JVM does not know. */
    public static final class TlsConfigException extends Exception {
        public TlsConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param caFile PEM CA certificates, or null
     * @param caPath directory of PEM CA certificates, or null
     * @param certFile client certificate (PEM), or null
     * @param keyFile client private key (PKCS#8 PEM), or null
     * @param tlsVersion "tlsv1.3", "tlsv1.2", "tlsv1.1", or null for 1.3 and 1.2
     * @param insecure do not check that the certificate names the host
     * @param systemTrust also trust the JVM's default CA store (used when no CA is given)
     */
    public static SslContext context(Path caFile, Path caPath, Path certFile, Path keyFile, String tlsVersion,
                                     boolean insecure, boolean systemTrust) throws TlsConfigException {
        return context(caFile, caPath, certFile, keyFile, tlsVersion, insecure, systemTrust, null);
    }

    /**
     * As above, offering {@code alpn} (one protocol name, or null for none) in the TLS handshake's
     * ALPN extension: some brokers choose what they speak on a port by it (AWS IoT on 443 wants
     * {@code x-amzn-mqtt-ca}; Mosquitto's {@code bridge_alpn}).
     */
    public static SslContext context(Path caFile, Path caPath, Path certFile, Path keyFile, String tlsVersion,
                                     boolean insecure, boolean systemTrust, String alpn) throws TlsConfigException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (alpn != null) {
            b.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                    io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                    io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        try {
            List<X509Certificate> cas = new ArrayList<>();
            if (caFile != null) {
                cas.addAll(readCertificates(caFile));
            }
            if (caPath != null) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(caPath)) {
                    for (Path p : dir) {
                        if (Files.isRegularFile(p)) {
                            try {
                                cas.addAll(readCertificates(p));
                            } catch (CertificateException e) {
                                // Not a certificate (a CRL or a note): skip it, as OpenSSL's lookup would.
                            }
                        }
                    }
                }
            }
            if (!cas.isEmpty()) {
                b.trustManager(cas);
            } else if (!systemTrust) {
                throw new TlsConfigException("no CA certificates found", null);
            }
            if (certFile != null && keyFile != null) {
                b.keyManager(certFile.toFile(), keyFile.toFile());
            }
            b.protocols(protocols(tlsVersion));
            b.endpointIdentificationAlgorithm(insecure ? null : "HTTPS");
            return b.build();
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            throw new TlsConfigException(e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (var c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate in " + file);
        }
        return out;
    }

    private static String[] protocols(String tlsVersion) {
        if (tlsVersion == null) {
            return new String[] {"TLSv1.3", "TLSv1.2"};
        }
        return switch (tlsVersion) {
            case "tlsv1.3" -> new String[] {"TLSv1.3"};
            case "tlsv1.2" -> new String[] {"TLSv1.2"};
            case "tlsv1.1" -> new String[] {"TLSv1.1"};
            default -> throw new IllegalArgumentException("unknown TLS version " + tlsVersion);
        };
    }
}
