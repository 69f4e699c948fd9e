package io.courtier.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5 properties of one packet, immutable and in wire order (user properties must be
 * forwarded in the order received). Packets of 3.1/3.1.1 carry {@link #NONE}. Lists are
 * short, so look-ups scan.
 */
public final class Properties {

    public static final Properties NONE = new Properties(List.of());

    private final List<Property> list;

    private Properties(List<Property> list) {
        this.list = list;
    }

    public static Properties of(List<Property> properties) {
        return properties.isEmpty() ? NONE : new Properties(List.copyOf(properties));
    }

    /**
     * Reads a PUBLISH property list (variable-length size, then the properties; MQTT 5.0 section
     * 2.2.2) from {@code body}, as other stores write them (Mosquitto's mosquitto.db does).
     *
     * @throws MqttDecoderException when the list is malformed
     */
    public static Properties readPublish(io.netty.buffer.ByteBuf body) {
        return PacketReader.readProperties(body, PacketType.PUBLISH, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these properties, to add or replace some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.list.addAll(list);
        return b;
    }

    public List<Property> asList() {
        return list;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public boolean contains(PropertyId id) {
        return find(id) != null;
    }

    /** The first value of an Integer-valued property, or null. */
    public Integer integer(PropertyId id) {
        return (Integer) find(id);
    }

    /** The value of a four-byte-integer property, or null. */
    public Long fourByte(PropertyId id) {
        return (Long) find(id);
    }

    public String string(PropertyId id) {
        return (String) find(id);
    }

    public byte[] binary(PropertyId id) {
        return (byte[]) find(id);
    }

    public List<UserProperty> userProperties() {
        List<UserProperty> out = new ArrayList<>();
        for (Property p : list) {
            if (p.id() == PropertyId.USER_PROPERTY) {
                out.add((UserProperty) p.value());
            }
        }
        return out;
    }

    public List<Integer> subscriptionIdentifiers() {
        List<Integer> out = new ArrayList<>();
        for (Property p : list) {
            if (p.id() == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                out.add((Integer) p.value());
            }
        }
        return out;
    }

    private Object find(PropertyId id) {
        for (int i = 0, n = list.size(); i < n; i++) {
            Property p = list.get(i);
            if (p.id() == id) {
                return p.value();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties p && list.equals(p.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }

    /** Collects properties in order. {@link #set} replaces, {@link #add} appends. */
    public static final class Builder {
        private final List<Property> list = new ArrayList<>();

        public Builder add(PropertyId id, Object value) {
            list.add(new Property(id, value));
            return this;
        }

        public Builder set(PropertyId id, Object value) {
            remove(id);
            return add(id, value);
        }

        public Builder remove(PropertyId id) {
            list.removeIf(p -> p.id() == id);
            return this;
        }

        public Builder userProperty(String name, String value) {
            return add(PropertyId.USER_PROPERTY, new UserProperty(name, value));
        }

        public Properties build() {
            return Properties.of(list);
        }
    }
}
