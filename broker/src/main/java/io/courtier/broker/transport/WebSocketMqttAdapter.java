package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.protocol.ProxiedClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSockets (MQTT 3.1.1 and 5.0, section 6): the bytes of binary frames flow into the
 * same {@code MqttDecoder} a TCP listener uses, which does not care where frames begin or end, so
 * packets split across frames and frames holding several packets both work [MQTT-6.0.0-2]; what
 * the encoder writes leaves as binary frames. Ping, pong and close frames are Netty's
 * {@link WebSocketServerProtocolHandler}'s business, in front of this one.
 */
final class WebSocketMqttAdapter extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final BrokerContext broker;
    private final ListenerConfig listener;
    private final int maxPacketSize;

    WebSocketMqttAdapter(BrokerContext broker, ListenerConfig listener, int maxPacketSize) {
        this.broker = broker;
        this.listener = listener;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            // Only now is this an MQTT connection: count it, log it, start its CONNECT timeout.
            MqttChannelInitializer.addMqttHandlers(ctx.pipeline(), broker, listener, maxPacketSize);
            ctx.fireChannelActive();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((io.netty.buffer.ByteBufHolder) msg).content()); // ownership moves on
        } else if (msg instanceof TextWebSocketFrame text) {
            text.release();
            LOG.info("Client {} sent a text frame; MQTT over WebSockets uses binary frames [MQTT-6.0.0-1], disconnecting.",
                    ProxiedClient.addressOf(ctx.channel()));
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireChannelRead(msg);
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof WebSocketHandshakeException) {
            // Netty has already answered with a close frame (1002 or 1009); one line, no trace.
            LOG.info("Client {} broke the WebSocket protocol, disconnecting: {}", ProxiedClient.addressOf(ctx.channel()),
                    cause.getMessage());
            ctx.close();
        } else if (cause instanceof IOException && ctx.pipeline().get("mqtt") == null) {
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
