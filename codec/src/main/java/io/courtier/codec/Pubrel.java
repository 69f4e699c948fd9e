package io.courtier.codec;

/** PUBREL. {@code reasonCode} is always 0 before v5; v5 may omit it on the wire when it is 0. */
public record Pubrel(int packetId, int reasonCode, Properties properties) implements PublishAck {

    public Pubrel(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }

    @Override
    public int firstByte() {
        return 0x62;
    }

    @Override
    public Pubrel withReason(int reasonCode, Properties properties) {
        return new Pubrel(packetId, reasonCode, properties);
    }
}
