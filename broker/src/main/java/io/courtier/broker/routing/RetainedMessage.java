package io.courtier.broker.routing;

import io.courtier.codec.Properties;

/**
 * A retained message. The payload is a private byte[] copy: retained messages are written
 * rarely, and a copy avoids reference-count races between a replacing writer and a reader
 * delivering the old one. {@code expiresAtMillis} is 0 when it never expires (MQTT 5).
 */
public record RetainedMessage(String topic, byte[] payload, int qos, Properties properties, long storedAtMillis,
                              long expiresAtMillis) {
}
