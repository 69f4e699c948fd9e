package io.courtier.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * MQTT over WebSocket carries the MQTT byte stream in binary frames; a packet may span frames
 * and a frame may hold several packets (MQTT 5.0 section 6), so frames are unwrapped into a
 * plain byte stream for the decoder, and each outgoing buffer becomes one binary frame.
 * Public for the other MQTT-over-WebSocket clients of this project ({@code courtier bench}).
 */
public final class WebSocketFrames extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content());
        } else {
            // Text frames are not MQTT [MQTT-6.0.0-1]: drop them.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
