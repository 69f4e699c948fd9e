package io.courtier.codec;

/** PUBCOMP. {@code reasonCode} is always 0 before v5; v5 may omit it on the wire when it is 0. */
public record Pubcomp(int packetId, int reasonCode, Properties properties) implements PublishAck {

    public Pubcomp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }

    @Override
    public int firstByte() {
        return 0x70;
    }

    @Override
    public Pubcomp withReason(int reasonCode, Properties properties) {
        return new Pubcomp(packetId, reasonCode, properties);
    }
}
