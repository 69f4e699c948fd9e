package io.courtier.codec;

import java.util.List;

/** SUBACK: one granted QoS or failure reason code per subscription, in order. */
public record Suback(int packetId, List<Integer> reasonCodes, Properties properties) implements MqttPacket {

    public Suback {
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
