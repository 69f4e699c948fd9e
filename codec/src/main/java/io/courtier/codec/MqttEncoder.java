package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * {@link MqttPacket}s to bytes in pooled buffers. A PUBLISH payload above
 * {@link #COPY_THRESHOLD} bytes is not copied: the header goes into a small buffer and the
 * payload follows as a retained duplicate, so one payload is shared by every subscriber's write.
 * Smaller payloads are copied next to the header: one buffer per write costs less than two.
 * Writing a packet consumes one reference of a PUBLISH (the encoder releases it).
 * The version is set once CONNECT is known.
 */
public final class MqttEncoder extends MessageToMessageEncoder<MqttPacket> {

    /** Payloads up to this size are copied beside the header instead of sent as a second buffer. */
    public static final int COPY_THRESHOLD = 512;

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
        MqttVersion v = version != null ? version : MqttVersion.V3_1_1;
        if (packet instanceof Publish p && p.payload().readableBytes() > COPY_THRESHOLD) {
            out.add(PacketWriter.write(ctx.alloc(), p, v, false));
            out.add(p.payload().retainedDuplicate());
            return;
        }
        out.add(PacketWriter.write(ctx.alloc(), packet, v, true));
    }

    /**
     * The number of bytes a packet takes on the wire, fixed header included, without encoding it:
     * a server must not send a packet larger than the client's Maximum Packet Size [MQTT-3.1.2-24].
     */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        return PacketWriter.encodedSize(packet, version);
    }

    /** Encodes a whole packet into one new buffer (copies a PUBLISH payload, does not release it). */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        return PacketWriter.write(alloc, packet, version, true);
    }
}
