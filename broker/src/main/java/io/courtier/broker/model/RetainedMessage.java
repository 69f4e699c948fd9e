package io.courtier.broker.model;

import io.courtier.codec.Properties;

/**
 * A retained message. The payload is a private byte[] copy: retained messages are written
 * rarely, and a copy avoids reference-count races between a replacing writer and a reader
 * delivering the old one. {@code expiresAtMillis} is 0 when it never expires (MQTT 5).
 * {@code sourceClientId} and {@code sourceUsername} name who published it, for
 * {@code check_retain_source}; both null when unknown (the broker's own, or stored by an older version).
 */
public record RetainedMessage(String topic, byte[] payload, int qos, Properties properties, long storedAtMillis,
                              long expiresAtMillis, String sourceClientId, String sourceUsername) {

    /** A retained message of unknown source. */
    public RetainedMessage(String topic, byte[] payload, int qos, Properties properties, long storedAtMillis,
                           long expiresAtMillis) {
        this(topic, payload, qos, properties, storedAtMillis, expiresAtMillis, null, null);
    }
}
