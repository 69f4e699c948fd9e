package io.courtier.broker.security;

/** The outcome of checking a CONNECT's credentials. */
public enum AuthResult {
    ACCEPTED,
    /** CONNACK 0x04 (3.1.1) / 0x86 (5). */
    BAD_USERNAME_OR_PASSWORD,
    /** CONNACK 0x05 (3.1.1) / 0x87 (5). */
    NOT_AUTHORIZED,
    /**
     * Too many logins are waiting to be checked (see {@link LoginGate}): CONNACK 0x89 "server busy"
     * in MQTT 5; MQTT 3.1.1 has no such code, so the connection is closed.
     */
    SERVER_BUSY
}
