package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.protocol.ProxiedClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an HTTP request on a websockets/http listener is. A WebSocket upgrade (on the
 * MQTT path, when the listener has one) turns the connection into MQTT over WebSockets: the
 * plain-HTTP handlers leave the pipeline, Netty's handshaker answers with the {@code mqtt} or
 * {@code mqttv3.1} subprotocol, and {@link WebSocketMqttAdapter} takes over. Anything else goes
 * on to the listener's HTTP handler.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** MQTT 3.1.1 section 6.0 and MQTT 5.0 section 6.0 name "mqtt"; old clients (Paho JS for 3.1) ask "mqttv3.1". */
    static final String SUBPROTOCOLS = "mqtt,mqttv3.1";

    /** At least this much per frame, so a few small packets fit in one frame even under tiny limits. */
    private static final int MIN_FRAME_PAYLOAD = 64 * 1024;

    private final BrokerContext broker;
    private final ListenerConfig listener;
    private final int maxPacketSize;
    private final String mqttPath;

    WebSocketUpgrade(BrokerContext broker, ListenerConfig listener, int maxPacketSize, String mqttPath) {
        this.broker = broker;
        this.listener = listener;
        this.maxPacketSize = maxPacketSize;
        this.mqttPath = mqttPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (req.decoderResult().isFailure()) {
            Throwable why = req.decoderResult().cause();
            req.release();
            boolean tooLong = why instanceof TooLongFrameException;
            LOG.info("Bad HTTP request from {} on port {}: {}", ProxiedClient.addressOf(ctx.channel()), listener.port(),
                    tooLong ? "headers larger than websockets_headers_size (" + WebSocketChannelInitializer
                            .headersSize(listener) + " bytes)" : why.getMessage());
            refuse(ctx, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!isWebSocketUpgrade(req)) {
            ctx.fireChannelRead(req);
            return;
        }
        if (mqttPath != null && !mqttPath.equals(new QueryStringDecoder(req.uri()).path())) {
            req.release();
            refuse(ctx, HttpResponseStatus.NOT_FOUND);
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!listener.admission().allowsOrigin(origin)) {
            // websockets_origin: only the listed Origin headers may open MQTT over WebSockets.
            req.release();
            LOG.info("WebSocket connection from {} on port {} refused: Origin {} is not in websockets_origin.",
                    ProxiedClient.addressOf(ctx.channel()), listener.port(), origin == null ? "(none)" : origin);
            refuse(ctx, HttpResponseStatus.FORBIDDEN);
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        p.remove("http-handler");
        p.remove("http-chunked"); // it would queue every MQTT write
        p.remove("http-idle"); // MQTT has its own CONNECT timeout and keep-alive
        p.addAfter(ctx.name(), "ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // the path was checked above
                .subprotocols(SUBPROTOCOLS)
                .maxFramePayloadLength(Math.max(maxPacketSize, MIN_FRAME_PAYLOAD))
                .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .build()));
        p.addAfter("ws", "ws-mqtt", new WebSocketMqttAdapter(broker, listener, maxPacketSize));
        ctx.fireChannelRead(req);
        p.remove(this);
    }

    static boolean isWebSocketUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status) {
        FullHttpResponse res = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(res, res.content().readableBytes());
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // an idle keep-alive HTTP connection
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} failed: {}", ProxiedClient.addressOf(ctx.channel()), cause.toString());
        ctx.close();
    }
}
