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
 * The version is set once CONNECT is known. Towards an MQTT 5 client that accepts topic aliases
 * the encoder assigns them itself ({@link #useTopicAliases}), so the PUBLISH objects stay shared
 * and nothing is allocated per message for it.
 */
public final class MqttEncoder extends MessageToMessageEncoder<MqttPacket> {

    /** Payloads up to this size are copied beside the header instead of sent as a second buffer. */
    public static final int COPY_THRESHOLD = 512;

    private volatile MqttVersion version;
    /** Aliases towards the client, or null when none are sent; touched only on the channel's loop. */
    private OutboundTopicAliases topicAliases;

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

    /**
     * Sends topic aliases in the PUBLISHes of this connection from now on, up to {@code maximum}
     * of them (the client's Topic Alias Maximum, capped by the server's own limit); 0 sends none.
     * Call on the channel's event loop, before the first PUBLISH.
     */
    public void useTopicAliases(int maximum) {
        topicAliases = maximum > 0 ? new OutboundTopicAliases(maximum) : null;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket packet, List<Object> out) {
        MqttVersion v = version != null ? version : MqttVersion.V3_1_1;
        if (packet instanceof Publish p) {
            int alias = 0;
            OutboundTopicAliases aliases = topicAliases;
            if (aliases != null && v.isV5() && !p.topic().isEmpty()) {
                alias = aliases.aliasFor(p.topic());
            }
            boolean copy = p.payload().readableBytes() <= COPY_THRESHOLD;
            out.add(PacketWriter.writePublish(ctx.alloc(), p, v.isV5(), copy, alias));
            if (!copy) {
                out.add(p.payload().retainedDuplicate());
            }
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
