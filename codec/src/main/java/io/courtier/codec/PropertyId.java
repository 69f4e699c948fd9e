package io.courtier.codec;

import static io.courtier.codec.PacketType.AUTH;
import static io.courtier.codec.PacketType.CONNACK;
import static io.courtier.codec.PacketType.CONNECT;
import static io.courtier.codec.PacketType.DISCONNECT;
import static io.courtier.codec.PacketType.PUBACK;
import static io.courtier.codec.PacketType.PUBCOMP;
import static io.courtier.codec.PacketType.PUBLISH;
import static io.courtier.codec.PacketType.PUBREC;
import static io.courtier.codec.PacketType.PUBREL;
import static io.courtier.codec.PacketType.SUBACK;
import static io.courtier.codec.PacketType.SUBSCRIBE;
import static io.courtier.codec.PacketType.UNSUBACK;
import static io.courtier.codec.PacketType.UNSUBSCRIBE;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every MQTT 5 property, with its wire type and the packets that may carry it
 * (MQTT 5.0 section 2.2.2.2, table 2-4). {@code inWill} marks the will properties of CONNECT.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, PropertyType.BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, PropertyType.FOUR_BYTE_INTEGER, true, PUBLISH),
    CONTENT_TYPE(0x03, PropertyType.UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, PropertyType.UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, PropertyType.BINARY_DATA, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, PropertyType.VARIABLE_BYTE_INTEGER, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, PropertyType.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, PropertyType.UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, PropertyType.TWO_BYTE_INTEGER, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, PropertyType.UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, PropertyType.BINARY_DATA, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, PropertyType.BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, PropertyType.FOUR_BYTE_INTEGER, true),
    REQUEST_RESPONSE_INFORMATION(0x19, PropertyType.BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, PropertyType.UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, PropertyType.UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, PropertyType.UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, PropertyType.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, PropertyType.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, PropertyType.TWO_BYTE_INTEGER, false, PUBLISH),
    MAXIMUM_QOS(0x24, PropertyType.BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, PropertyType.BYTE, false, CONNACK),
    USER_PROPERTY(0x26, PropertyType.UTF8_STRING_PAIR, true,
            CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
            UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, PropertyType.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, PropertyType.BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, PropertyType.BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, PropertyType.BYTE, false, CONNACK);

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType valueType;
    private final boolean inWill;
    private final Set<PacketType> packets;

    PropertyId(int id, PropertyType valueType, boolean inWill, PacketType... packets) {
        this.id = id;
        this.valueType = valueType;
        this.inWill = inWill;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
    }

    public int id() {
        return id;
    }

    public PropertyType valueType() {
        return valueType;
    }

    /** Whether the property may appear among a CONNECT's will properties. */
    public boolean allowedInWill() {
        return inWill;
    }

    /** Whether the property may appear in the properties of a packet of this type. */
    public boolean allowedIn(PacketType type) {
        return packets.contains(type);
    }

    /** Only these two may appear more than once in one property list. */
    public boolean repeatable() {
        return this == USER_PROPERTY || this == SUBSCRIPTION_IDENTIFIER;
    }

    /** The property for an identifier, or null when the identifier is unknown. */
    public static PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
