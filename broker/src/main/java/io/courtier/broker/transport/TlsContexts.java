package io.courtier.broker.transport;

import io.courtier.broker.config.IoErrorText;
import io.courtier.broker.config.TlsConfig;
import io.courtier.broker.security.SecurityFileException;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a listener's server {@link SslContext} from Mosquitto's TLS options: {@code certfile}
 * and {@code keyfile} (PEM), {@code cafile}/{@code capath} (the CAs client certificates must
 * chain to), {@code crlfile} (revoked client certificates), {@code require_certificate},
 * {@code tls_version} (the minimum: TLS 1.2 or 1.3) and {@code ciphers}. A server certificate
 * alone in {@code certfile} is sent with its chain completed from the CAs, as Mosquitto does. BoringSSL
 * (netty-tcnative) when it loads on this platform, the JDK's TLS otherwise.
 */
public final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** TLS 1.3's suites, which Mosquitto's {@code ciphers} (TLS 1.2 and older) does not govern. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** TLS 1.2 suites kept when only {@code ciphers_tls1.3} is set: forward secret AEAD ones. */
    private static final List<String> DEFAULT_TLS12_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsContexts() {
    }

    /**
     * BoringSSL when netty-tcnative loads here, else the JDK; {@code -Dcourtier.tls.provider=jdk}
     * forces the JDK's (to compare, or to work around a native problem).
     */
    public static SslProvider provider() {
        if ("jdk".equalsIgnoreCase(System.getProperty("courtier.tls.provider"))) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Builds the context or fails with a message naming the file or option at fault. */
    public static SslContext serverContext(TlsConfig tls) {
        if (tls.certfile() == null || tls.keyfile() == null) {
            throw new SecurityFileException("TLS listener needs both certfile and keyfile.");
        }
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(tls.certfile());
        } catch (IOException | GeneralSecurityException e) {
            throw new SecurityFileException("Unable to load server certificate \"" + tls.certfile()
                    + "\": " + IoErrorText.of(e), e);
        }
        if (chain.isEmpty()) {
            throw new SecurityFileException("Unable to load server certificate \"" + tls.certfile()
                    + "\": no PEM certificate in it");
        }
        PrivateKey key;
        try {
            key = PemFiles.privateKey(tls.keyfile());
        } catch (IOException | GeneralSecurityException e) {
            throw new SecurityFileException("Unable to load server key file \"" + tls.keyfile() + "\": "
                    + IoErrorText.of(e), e);
        }
        List<X509Certificate> cas = authorities(tls);
        chain = ServerCertificateChain.complete(chain, cas);
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider())
                .protocols(protocols(tls.tlsVersion()));
        if (!cas.isEmpty()) {
            b.trustManager(trust(cas, tls.crlfile()));
        } else if (tls.requireCertificate()) {
            throw new SecurityFileException("require_certificate is true but neither cafile nor capath is set.");
        }
        b.clientAuth(tls.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        boolean tls12List = tls.ciphers() != null && !tls.ciphers().isBlank();
        boolean tls13List = tls.ciphersTls13() != null && !tls.ciphersTls13().isBlank();
        if (tls12List || tls13List) {
            b.ciphers(ciphers(tls12List ? tls.ciphers() : null, tls13List ? tls.ciphersTls13() : null),
                    SupportedCipherSuiteFilter.INSTANCE);
        }
        try {
            return b.build();
        } catch (IOException e) {
            throw new SecurityFileException("Unable to set up TLS with certfile \"" + tls.certfile() + "\" and keyfile \""
                    + tls.keyfile() + "\": " + IoErrorText.of(e), e);
        }
    }

    /** {@code tls_version} is a minimum in Mosquitto 2; only TLS 1.2 and 1.3 are offered here. */
    static String[] protocols(String tlsVersion) {
        if (tlsVersion == null || tlsVersion.equals("tlsv1.2")) {
            return new String[] {"TLSv1.3", "TLSv1.2"};
        }
        if (tlsVersion.equals("tlsv1.3")) {
            return new String[] {"TLSv1.3"};
        }
        if (tlsVersion.equals("tlsv1.1") || tlsVersion.equals("tlsv1")) {
            LOG.warn("tls_version {}: TLS versions before 1.2 are not offered; TLS 1.2 is the minimum.", tlsVersion);
            return new String[] {"TLSv1.3", "TLSv1.2"};
        }
        throw new SecurityFileException("Unsupported tls_version \"" + tlsVersion + "\" (tlsv1.2 or tlsv1.3).");
    }

    private static List<X509Certificate> authorities(TlsConfig tls) {
        List<X509Certificate> cas = new ArrayList<>();
        if (tls.cafile() != null) {
            try {
                cas.addAll(PemFiles.certificates(tls.cafile()));
            } catch (IOException | GeneralSecurityException e) {
                throw new SecurityFileException("Unable to load CA certificates from cafile \"" + tls.cafile() + "\": "
                        + IoErrorText.of(e), e);
            }
        }
        if (tls.capath() != null) {
            // OpenSSL looks certificates up by hashed names; reading every file gives the same set.
            try (Stream<Path> files = Files.list(tls.capath())) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f)) {
                        try {
                            cas.addAll(PemFiles.certificates(f));
                        } catch (IOException | GeneralSecurityException e) {
                            LOG.debug("capath {}: skipping {} ({})", tls.capath(), f.getFileName(), e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                throw new SecurityFileException("Unable to read capath \"" + tls.capath() + "\": "
                        + IoErrorText.of(e), e);
            }
        }
        return cas;
    }

    private static TrustManagerFactory trust(List<X509Certificate> cas, Path crlfile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            if (crlfile == null) {
                tmf.init(store);
                return tmf;
            }
            PKIXBuilderParameters params = new PKIXBuilderParameters(store, new X509CertSelector());
            try {
                params.addCertStore(CertStore.getInstance("Collection",
                        new CollectionCertStoreParameters(PemFiles.crls(crlfile))));
            } catch (IOException | GeneralSecurityException e) {
                throw new SecurityFileException("Unable to load crlfile \"" + crlfile + "\": " + IoErrorText.of(e), e);
            }
            // As OpenSSL's CRL check: the client's own certificate, against the CRL given, no network.
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX")
                    .getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.ONLY_END_ENTITY));
            params.setRevocationEnabled(true);
            params.addCertPathChecker(revocation);
            tmf.init(new CertPathTrustManagerParameters(params));
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new SecurityFileException("Unable to set up client certificate checks: " + IoErrorText.of(e), e);
        }
    }

    /**
     * {@code ciphers} (TLS 1.2: OpenSSL names such as ECDHE-RSA-AES128-GCM-SHA256, or IANA names)
     * and {@code ciphers_tls1.3} (TLS 1.3 suite names), both colon separated; either may be null,
     * and then that version keeps its default suites.
     */
    static List<String> ciphers(String list, String tls13List) {
        List<String> out = new ArrayList<>();
        if (tls13List == null) {
            out.addAll(TLS13_SUITES);
        } else {
            for (String name : tls13List.split(":")) {
                if (!name.isBlank()) {
                    out.add(name.strip());
                }
            }
        }
        if (list == null) {
            out.addAll(DEFAULT_TLS12_SUITES);
            return out;
        }
        int before = out.size();
        for (String name : list.split(":")) {
            String n = name.strip();
            if (n.isEmpty()) {
                continue;
            }
            String java = n.startsWith("TLS_") || n.startsWith("SSL_") ? n : CipherSuiteConverter.toJava(n, "TLS");
            if (java == null) {
                LOG.warn("ciphers: \"{}\" is not a cipher suite name Courtier knows; ignored.", n);
                continue;
            }
            out.add(java);
        }
        if (out.size() == before) {
            throw new SecurityFileException("ciphers \"" + list + "\" names no cipher suite Courtier knows.");
        }
        return out;
    }
}
