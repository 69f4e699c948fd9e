package io.courtier.codec;

/** PUBACK. {@code reasonCode} is always 0 before v5; v5 may omit it on the wire when it is 0. */
public record Puback(int packetId, int reasonCode, Properties properties) implements PublishAck {

    public Puback(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }

    @Override
    public int firstByte() {
        return 0x40;
    }

    @Override
    public Puback withReason(int reasonCode, Properties properties) {
        return new Puback(packetId, reasonCode, properties);
    }
}
