package io.courtier.codec;

/**
 * The four acknowledgements of a PUBLISH's flow: PUBACK (QoS 1), PUBREC, PUBREL and PUBCOMP
 * (QoS 2). They share one layout on the wire (MQTT 5.0 3.4 to 3.7): the packet identifier, then
 * in v5 a reason code and properties, both of which may be left out when the code is 0 (Success)
 * and there are no properties. Only the first byte tells them apart, so one writer and one reader
 * serve all four.
 */
public sealed interface PublishAck extends MqttPacket permits Puback, Pubrec, Pubrel, Pubcomp {

    int packetId();

    /** Always 0 (Success) before v5. */
    int reasonCode();

    Properties properties();

    /** The fixed header's first byte: the type's nibble and its flags (0010 for PUBREL [MQTT-3.6.1-1]). */
    int firstByte();

    /** The same acknowledgement (type and packet identifier) with another reason code and properties. */
    PublishAck withReason(int reasonCode, Properties properties);

    /** The acknowledgement of {@code type}, one of PUBACK, PUBREC, PUBREL, PUBCOMP. */
    static PublishAck of(PacketType type, int packetId, int reasonCode, Properties properties) {
        return switch (type) {
            case PUBACK -> new Puback(packetId, reasonCode, properties);
            case PUBREC -> new Pubrec(packetId, reasonCode, properties);
            case PUBREL -> new Pubrel(packetId, reasonCode, properties);
            case PUBCOMP -> new Pubcomp(packetId, reasonCode, properties);
            default -> throw new IllegalArgumentException(type + " does not acknowledge a PUBLISH");
        };
    }
}
