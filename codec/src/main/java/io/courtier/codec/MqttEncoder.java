package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * {@link MqttPacket}s to bytes in pooled buffers. A PUBLISH payload is not copied: the
 * encoder writes the header into a small buffer and the payload as a retained duplicate, so
 * one payload is shared by every subscriber's write. The version is set once CONNECT is known.
 */
@ChannelHandler.Sharable
public final class MqttEncoder extends MessageToMessageEncoder<MqttPacket> {

    private volatile MqttVersion version;

    public MqttEncoder(MqttVersion version) {
        super(MqttPacket.class);
        this.version = version;
    }

    public MqttVersion version() {
        return version;
    }

    public void setVersion(MqttVersion version) {
        this.version = version;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket packet, List<Object> out) {
        throw new UnsupportedOperationException("codec issue: not written yet");
    }

    /** Encodes a whole packet into one new buffer (copies a PUBLISH payload); for tests and tools. */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        throw new UnsupportedOperationException("codec issue: not written yet");
    }
}
