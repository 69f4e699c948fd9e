package io.courtier.broker.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/** The user name a client certificate carries, as Mosquitto derives it. */
public final class TlsIdentity {
    private TlsIdentity() {
    }

    /** The verified client certificate of a TLS session, or null when the client sent none. */
    public static X509Certificate peerCertificate(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** {@code use_identity_as_username}: the subject's Common Name (the most specific one). */
    public static String commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
            // LdapName lists RDNs least specific first; the CN a certificate is named by is the last.
            for (int i = name.size() - 1; i >= 0; i--) {
                Rdn rdn = name.getRdns().get(i);
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /**
     * {@code use_subject_as_username}: the whole subject in RFC 2253 form, most specific first,
     * as in {@code CN=test client,OU=Production,O=Server,L=Nottingham,ST=Nottinghamshire,C=GB}.
     */
    public static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }
}
