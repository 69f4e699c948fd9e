package io.courtier.codec;

/** PUBREC. {@code reasonCode} is always 0 before v5; v5 may omit it on the wire when it is 0. */
public record Pubrec(int packetId, int reasonCode, Properties properties) implements PublishAck {

    public Pubrec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }

    @Override
    public int firstByte() {
        return 0x50;
    }

    @Override
    public Pubrec withReason(int reasonCode, Properties properties) {
        return new Pubrec(packetId, reasonCode, properties);
    }
}
