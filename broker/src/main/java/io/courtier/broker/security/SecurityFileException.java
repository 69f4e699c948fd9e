package io.courtier.broker.security;

/**
 * A password, ACL or certificate file that cannot be used: missing, unreadable or malformed.
 * The message names the file (and line where there is one); start-up stops with it, a reload
 * keeps the rules in force.
 */
public final class SecurityFileException extends IllegalStateException {
    public SecurityFileException(String message) {
        super(message);
    }

    public SecurityFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
