package io.courtier.broker.security;

import io.courtier.broker.config.TlsConfig;

/**
 * The rules in force on one listener: who may connect and what they may do. A connection keeps
 * this object; a reload (SIGHUP) swaps its contents, so connections already open follow the new
 * ACL at once, as Mosquitto's do, and are not dropped.
 */
public final class ListenerSecurity {

    private final TlsConfig tls;
    private volatile Authenticator authenticator;
    private volatile Authorizer authorizer;

    ListenerSecurity(TlsConfig tls, Authenticator authenticator, Authorizer authorizer) {
        this.tls = tls;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    /** Rules that do not come from files: for tests and embedders. */
    public static ListenerSecurity of(Authenticator authenticator, Authorizer authorizer) {
        return new ListenerSecurity(null, authenticator, authorizer);
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    void update(Authenticator newAuthenticator, Authorizer newAuthorizer) {
        this.authenticator = newAuthenticator;
        this.authorizer = newAuthorizer;
    }

    /**
     * Whether the user name comes from the client's certificate ({@code use_identity_as_username}
     * or {@code use_subject_as_username}); the password file is then not used on this listener.
     */
    public boolean usernameFromCertificate() {
        return tls != null && (tls.useIdentityAsUsername() || tls.useSubjectAsUsername());
    }

    /** The user name a certificate gives on this listener, or null without a certificate. */
    public String usernameFrom(java.security.cert.X509Certificate certificate) {
        if (certificate == null) {
            return null;
        }
        // use_identity_as_username takes priority when both are set (mosquitto.conf(5)).
        return tls.useIdentityAsUsername() ? TlsIdentity.commonName(certificate) : TlsIdentity.subject(certificate);
    }
}
