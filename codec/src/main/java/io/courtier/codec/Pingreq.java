package io.courtier.codec;

/** PINGREQ: no content, so one shared instance. */
public record Pingreq() implements MqttPacket {

    public static final Pingreq INSTANCE = new Pingreq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
