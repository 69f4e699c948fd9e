package io.courtier.codec;

import java.util.List;

/** UNSUBACK: v5 carries one reason code per filter; 3.1/3.1.1 carry none (empty list). */
public record Unsuback(int packetId, List<Integer> reasonCodes, Properties properties) implements MqttPacket {

    public Unsuback {
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
