package io.courtier.codec;

/** PUBCOMP. {@code reasonCode} is always 0 before v5; v5 may omit it on the wire when it is 0. */
public record Pubcomp(int packetId, int reasonCode, Properties properties) implements MqttPacket {

    public Pubcomp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
