package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to {@link MqttPacket}s. Reads the fixed header and remaining length first and refuses
 * an oversized packet before buffering its body. On the server side the protocol version is
 * learned from CONNECT; a client sets it with {@link #setVersion}.
 * Errors are {@link MqttDecoderException}s; after one, the rest of the input is discarded.
 */
public final class MqttDecoder extends ByteToMessageDecoder {

    /** No limit beyond the protocol's own (268,435,455 bytes of remaining length). */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    private volatile int maxPacketSize;
    private volatile MqttVersion version;

    /** Server side: the version comes from the first CONNECT. 0 = protocol maximum. */
    public MqttDecoder(int maxPacketSize) {
        this(maxPacketSize, null);
    }

    /** Client side: the version this connection speaks. */
    public MqttDecoder(int maxPacketSize, MqttVersion version) {
        this.maxPacketSize = maxPacketSize;
        this.version = version;
    }

    public MqttVersion version() {
        return version;
    }

    public void setVersion(MqttVersion version) {
        this.version = version;
    }

    /** Largest whole packet (fixed header included) accepted; 0 = protocol maximum. */
    public void setMaxPacketSize(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        throw new UnsupportedOperationException("codec issue: not written yet");
    }
}
