package io.courtier.codec;

import java.util.List;

/** UNSUBSCRIBE: never empty on the wire. */
public record Unsubscribe(int packetId, List<String> filters, Properties properties) implements MqttPacket {

    public Unsubscribe {
        filters = List.copyOf(filters);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
