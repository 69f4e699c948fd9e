package io.courtier.client;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import java.net.URI;

/**
 * The handlers that sit below the MQTT codec on a client connection: TLS and/or MQTT over
 * WebSocket (subprotocol "mqtt", binary frames, MQTT 5.0 section 6). One place for
 * {@link MqttClient} and the other clients of this project ({@code courtier bench}).
 */
public final class TransportHandlers {

    /** Largest MQTT packet (256 MiB) plus the fixed header: one packet always fits a frame. */
    private static final int MAX_FRAME = 268_435_460;

    private TransportHandlers() {
    }

    /**
     * @param ssl    null for no TLS
     * @param wsPath the WebSocket path starting with "/", or null for MQTT straight on the socket
     */
    public static void add(ChannelPipeline p, SslContext ssl, String host, int port, String wsPath,
            long handshakeTimeoutMillis) {
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(p.channel().alloc(), host, port)); // host and port: SNI and name check
        }
        if (wsPath != null) {
            URI uri = URI.create((ssl != null ? "wss" : "ws") + "://" + hostForUri(host) + ":" + port + wsPath);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri).subprotocol("mqtt").version(WebSocketVersion.V13)
                    .customHeaders(new DefaultHttpHeaders()).maxFramePayloadLength(MAX_FRAME)
                    .handleCloseFrames(true).dropPongFrames(true)
                    .handshakeTimeoutMillis(handshakeTimeoutMillis).build();
            p.addLast("http", new HttpClientCodec());
            p.addLast("aggregator", new HttpObjectAggregator(65536));
            p.addLast("ws", new WebSocketClientProtocolHandler(config));
            p.addLast("wsframes", new WebSocketFrames());
        }
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
