package io.courtier.broker.persistence.codec;

/** A stored record could not be decoded: the store is corrupt or was written by something else. */
public final class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
