package io.courtier.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One MQTT 5 property. The value's Java type follows {@link PropertyId#valueType()}:
 * Integer, Long, String, byte[] or {@link UserProperty}.
 */
public record Property(PropertyId id, Object value) {

    public Property {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        Class<?> expected = switch (id.valueType()) {
            case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> Integer.class;
            case FOUR_BYTE_INTEGER -> Long.class;
            case UTF8_STRING -> String.class;
            case BINARY_DATA -> byte[].class;
            case UTF8_STRING_PAIR -> UserProperty.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(id + " takes a " + expected.getSimpleName()
                    + ", not " + value.getClass().getSimpleName());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && id == p.id && Objects.deepEquals(value, p.value);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + (value instanceof byte[] b ? Arrays.hashCode(b) : value.hashCode());
    }

    @Override
    public String toString() {
        return id + "=" + (value instanceof byte[] b ? b.length + " bytes" : value);
    }
}
