package io.courtier.codec;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * A {@link MqttDecoder} and a {@link MqttEncoder} as one pipeline handler. Each handler in a
 * pipeline costs its channel a context object (64 bytes), and a broker holds a pipeline per
 * client: with 100,000 idle clients the second context is 6 MB for nothing. The two halves are
 * called with this handler's context, as Netty's own {@code ByteToMessageCodec} does, so they
 * behave exactly as they do as two handlers (what the decoder fires goes on from here, what the
 * encoder writes goes on towards the socket).
 */
public final class MqttCodec extends ChannelDuplexHandler {

    private final MqttDecoder decoder;
    private final MqttEncoder encoder;

    public MqttCodec(MqttDecoder decoder, MqttEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    public MqttDecoder decoder() {
        return decoder;
    }

    public MqttEncoder encoder() {
        return encoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        try {
            decoder.handlerAdded(ctx);
        } finally {
            encoder.handlerAdded(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        try {
            decoder.handlerRemoved(ctx); // hands on what is buffered and releases the cumulation
        } finally {
            encoder.handlerRemoved(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        decoder.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        decoder.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        decoder.channelInactive(ctx); // decodes what is left, then passes the event on
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        decoder.userEventTriggered(ctx, evt); // the input shut down: what is left is decoded first
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        encoder.write(ctx, msg, promise);
    }
}
