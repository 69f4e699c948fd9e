package io.courtier.client;

/** The connection closed before an operation completed (and will not be resumed). */
public final class ConnectionLostException extends Exception {

    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
