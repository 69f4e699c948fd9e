package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * PUBLISH. The payload is a reference-counted slice of the buffer it was decoded from
 * (never a copy); this packet's reference count is the payload's. {@code packetId} is 0
 * for QoS 0; {@code retained} is the RETAIN flag. In v5 an empty {@code topic} with a topic alias property is legal on the wire.
 */
public record Publish(String topic, int qos, boolean retained, boolean dup, int packetId,
                      Properties properties, ByteBuf payload) implements MqttPacket, ReferenceCounted {

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    /** The same message with other delivery fields; shares (does not retain) the payload. */
    public Publish withDelivery(int qos, boolean retained, boolean dup, int packetId) {
        return new Publish(topic, qos, retained, dup, packetId, properties, payload);
    }

    /** The same message on another topic; shares (does not retain) the payload. */
    public Publish withTopic(String topic) {
        return new Publish(topic, qos, retained, dup, packetId, properties, payload);
    }

    /** The same message with other properties; shares (does not retain) the payload. */
    public Publish withProperties(Properties properties) {
        return new Publish(topic, qos, retained, dup, packetId, properties, payload);
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public Publish retain() {
        payload.retain();
        return this;
    }

    @Override
    public Publish retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public Publish touch() {
        payload.touch();
        return this;
    }

    @Override
    public Publish touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "Publish[topic=" + topic + ", qos=" + qos + ", retained=" + retained + ", dup=" + dup
                + ", packetId=" + packetId + ", properties=" + properties
                + ", payload=" + payload.readableBytes() + " bytes]";
    }
}
