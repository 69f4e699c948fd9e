package io.courtier.codec;

/** MQTT control packet types, numbered as in the first nibble of the fixed header. */
public enum PacketType {
    CONNECT(1), CONNACK(2), PUBLISH(3), PUBACK(4), PUBREC(5), PUBREL(6), PUBCOMP(7),
    SUBSCRIBE(8), SUBACK(9), UNSUBSCRIBE(10), UNSUBACK(11), PINGREQ(12), PINGRESP(13),
    DISCONNECT(14), AUTH(15);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    PacketType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type for a fixed-header nibble; null for 0 (reserved). */
    public static PacketType of(int value) {
        return value >= 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
