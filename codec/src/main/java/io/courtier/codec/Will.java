package io.courtier.codec;

import java.util.Arrays;
import java.util.Objects;

/** The will message carried in CONNECT; {@code properties} are the v5 will properties. */
public record Will(String topic, byte[] payload, int qos, boolean retain, Properties properties) {

    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload)
                && qos == w.qos && retain == w.retain && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos
                + ", retain=" + retain + ", properties=" + properties + "]";
    }
}
