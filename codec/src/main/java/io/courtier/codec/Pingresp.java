package io.courtier.codec;

/** PINGRESP: no content, so one shared instance. */
public record Pingresp() implements MqttPacket {

    public static final Pingresp INSTANCE = new Pingresp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
