package io.courtier.codec;

/** CONNACK. {@code reasonCode} is the 3.1.1 return code (0-5) or a v5 reason code. */
public record Connack(boolean sessionPresent, int reasonCode, Properties properties) implements MqttPacket {

    public Connack(boolean sessionPresent, int reasonCode) {
        this(sessionPresent, reasonCode, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
