package io.courtier.broker.security;

/** The outcome of checking a CONNECT's credentials. */
public enum AuthResult {
    ACCEPTED,
    /** CONNACK 0x04 (3.1.1) / 0x86 (5). */
    BAD_USERNAME_OR_PASSWORD,
    /** CONNACK 0x05 (3.1.1) / 0x87 (5). */
    NOT_AUTHORIZED
}
