package io.courtier.broker.persistence;

/**
 * The store cannot be opened or used: a foreign or corrupt directory, or an I/O failure at
 * start-up. An IllegalStateException, which the command line reports as one line and exit 1.
 */
public final class StoreException extends IllegalStateException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
