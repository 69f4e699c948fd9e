package io.courtier.codec;

/**
 * One MQTT control packet. Every implementation is immutable; {@link Publish} holds a
 * reference-counted payload and must be released by whoever consumes it last.
 */
public sealed interface MqttPacket
        permits Connect, Connack, Publish, PublishAck, Subscribe, Suback,
                Unsubscribe, Unsuback, Pingreq, Pingresp, Disconnect, Auth {

    PacketType type();
}
