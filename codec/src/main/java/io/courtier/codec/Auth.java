package io.courtier.codec;

/** AUTH (v5 only): extended authentication exchange. */
public record Auth(int reasonCode, Properties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
