package io.courtier.broker.security;

/**
 * A listener's CONNECT check, as Debian's mosquitto 2.0.11 answers it: a client without a user
 * name is accepted only under {@code allow_anonymous true}; a client with one needs a matching
 * entry in the password file when there is one, and is otherwise accepted only where anonymous
 * clients are. Every refusal is "not authorised" (CONNACK 0x05, or 0x87 in MQTT 5): Mosquitto
 * never answers 0x04/0x86 for a wrong password.
 */
public final class PasswordAuthenticator implements Authenticator {

    private final boolean allowAnonymous;
    private final PasswordFile passwords;

    /** {@code passwords} null: no password_file on this listener. */
    public PasswordAuthenticator(boolean allowAnonymous, PasswordFile passwords) {
        this.allowAnonymous = allowAnonymous;
        this.passwords = passwords;
    }

    @Override
    public AuthResult authenticate(String clientId, String username, byte[] password) {
        if (username == null || passwords == null) {
            return allowAnonymous ? AuthResult.ACCEPTED : AuthResult.NOT_AUTHORIZED;
        }
        return passwords.check(username, password) ? AuthResult.ACCEPTED : AuthResult.NOT_AUTHORIZED;
    }

    @Override
    public String credentialStamp(String username) {
        return username == null || passwords == null ? null : passwords.stamp(username);
    }

    @Override
    public boolean isSlow(String username) {
        return username != null && passwords != null && passwords.isSlow(username);
    }
}
