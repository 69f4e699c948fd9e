package io.courtier.codec;

import java.util.List;

/** SUBSCRIBE: never empty on the wire. */
public record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties)
        implements MqttPacket {

    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
