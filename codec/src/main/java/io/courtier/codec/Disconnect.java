package io.courtier.codec;

/** DISCONNECT: reason code and properties exist in v5 only (0 and none before). */
public record Disconnect(int reasonCode, Properties properties) implements MqttPacket {

    public static final Disconnect NORMAL = new Disconnect(ReasonCode.SUCCESS, Properties.NONE);

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
