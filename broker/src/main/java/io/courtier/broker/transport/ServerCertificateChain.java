package io.courtier.broker.transport;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates a TLS listener sends, as Mosquitto's OpenSSL sends them. When
 * {@code certfile} holds the server certificate alone, OpenSSL builds its chain from the
 * certificates it trusts ({@code cafile}/{@code capath}) and sends every link, root included
 * (checked with {@code openssl s_client -showcerts} against Debian's mosquitto 2.0.11). Clients
 * that trust only the root (Python's {@code ssl}, OpenSSL 3, {@code mosquitto_pub --cafile
 * root.crt}) need the intermediates to verify it. A {@code certfile} that already holds a chain
 * is sent as it is, as OpenSSL does.
 */
final class ServerCertificateChain {

    /** A chain longer than this is a loop among the authorities, not a real one. */
    private static final int MAX_LENGTH = 10;

    private ServerCertificateChain() {
    }

    static List<X509Certificate> complete(List<X509Certificate> certfile, List<X509Certificate> authorities) {
        if (certfile.size() != 1 || authorities.isEmpty()) {
            return certfile;
        }
        List<X509Certificate> chain = new ArrayList<>(certfile);
        X509Certificate last = chain.get(0);
        while (!selfSigned(last) && chain.size() < MAX_LENGTH) {
            X509Certificate issuer = issuerOf(last, authorities);
            if (issuer == null || chain.contains(issuer)) {
                break; // the client may still know the rest: send what there is, as OpenSSL does
            }
            chain.add(issuer);
            last = issuer;
        }
        return chain;
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> authorities) {
        for (X509Certificate ca : authorities) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()) && signedBy(certificate, ca)) {
                return ca;
            }
        }
        return null;
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
