package io.courtier.broker.session;

import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * An accepted application message on its way to subscribers: one immutable payload shared by
 * every delivery. The payload is copied once out of the socket's read buffer, into a buffer of
 * its exact size, so that a message held in a queue never pins a whole read buffer.
 * Reference counted: every holder (a queue entry, an in-flight slot, a routing task) owns one
 * reference and releases it.
 */
public final class Message {

    private final String topic;
    private final int qos;
    private final boolean retain;
    private final Properties properties;
    private final ByteBuf payload;
    private final String publisherId;

    public Message(String topic, int qos, boolean retain, Properties properties, ByteBuf payload, String publisherId) {
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.properties = properties;
        this.payload = payload;
        this.publisherId = publisherId;
    }

    /** A message from a received PUBLISH; copies its payload, does not consume the PUBLISH. */
    public static Message of(Publish publish, String publisherId, ByteBufAllocator alloc) {
        ByteBuf src = publish.payload();
        ByteBuf copy = alloc.buffer(src.readableBytes(), src.readableBytes());
        copy.writeBytes(src, src.readerIndex(), src.readableBytes());
        return new Message(publish.topic(), publish.qos(), publish.retained(), publish.properties(), copy,
                publisherId);
    }

    /** The PUBLISH for one delivery; holds its own reference to the payload. */
    public Publish toPublish(int qos, boolean retainFlag, boolean dup, int packetId) {
        return new Publish(topic, qos, retainFlag, dup, packetId, properties, payload.retainedDuplicate());
    }

    public String topic() {
        return topic;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public Properties properties() {
        return properties;
    }

    /** The shared payload; read it without changing its indexes. */
    public ByteBuf payload() {
        return payload;
    }

    public int payloadSize() {
        return payload.readableBytes();
    }

    public String publisherId() {
        return publisherId;
    }

    public Message retainRef() {
        payload.retain();
        return this;
    }

    public void release() {
        payload.release();
    }
}
