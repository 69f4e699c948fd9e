package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.sys.BrokerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a {@code websockets} or {@code http} listener before it knows what the client
 * wants: HTTP/1.1 framing, then {@link WebSocketUpgrade}, which either hands a WebSocket upgrade
 * to the MQTT-over-WebSockets pipeline or passes a plain request to the listener's HTTP handler
 * (http_dir files, or the console, its API and /metrics).
 */
final class WebSocketChannelInitializer extends ChannelInitializer<Channel> {

    /** Request bodies the console accepts (its API takes none bigger than a form). */
    private static final int CONSOLE_MAX_BODY = 64 * 1024;
    /** A plain HTTP connection (page, API, files) idle this long is closed; browsers reopen. */
    static final int HTTP_IDLE_SECONDS = 120;
    /** Mosquitto's default when websockets_headers_size is unset or 0. */
    private static final int DEFAULT_HEADERS_SIZE = 4096;

    private final BrokerContext broker;
    private final ListenerConfig listener;
    private final ByteCounter byteCounter;
    /** The listener's TLS context (null: plain ws:// and http://); replaced when certificates are reloaded. */
    private volatile SslContext ssl;
    private final HttpHandlers http;
    private final String mqttPath;

    /**
     * @param mqttPath the only path that accepts the MQTT upgrade, or null for any path (as
     *                 Mosquitto's websockets listeners do)
     */
    WebSocketChannelInitializer(BrokerContext broker, BrokerStats stats, ListenerConfig listener, HttpHandlers http,
                                String mqttPath) {
        this.broker = broker;
        this.listener = listener;
        this.byteCounter = new ByteCounter(stats);
        this.http = http;
        this.mqttPath = mqttPath;
    }

    /** Serves wss:// and https:// with this context from the next connection on. */
    void sslContext(SslContext value) {
        this.ssl = value;
    }

    /**
     * A WebSocket frame is buffered whole before it is passed on, so it gets the packet limit
     * too (MQTT's own maximum when none is configured). Read per connection: a reload may change it.
     */
    private int maxPacketSize() {
        int limit = MqttChannelInitializer.decoderLimit(broker.config().maxPacketSize(),
                broker.config().messageSizeLimit());
        return limit > 0 ? limit : io.courtier.codec.MqttDecoder.MAX_REMAINING_LENGTH + 5;
    }

    static int headersSize(ListenerConfig listener) {
        return listener.websocketsHeadersSize() > 0 ? listener.websocketsHeadersSize() : DEFAULT_HEADERS_SIZE;
    }

    @Override
    protected void initChannel(Channel ch) {
        int headers = headersSize(listener);
        MqttChannelInitializer.socketOptions(ch, broker);
        ch.pipeline().addLast("bytes", byteCounter);
        // A PROXY header comes before anything else, TLS included (a proxy passing TLS through).
        ProxyHeaderHandler.addTo(ch.pipeline(), listener, broker.connectTimeoutMillis());
        SslContext tls = ssl;
        if (tls != null) { // as on MQTT listeners: bytes are counted on the wire, TLS comes next
            ch.pipeline().addLast("ssl", tls.newHandler(ch.alloc()));
            ch.pipeline().addLast("tls-log", TlsHandshakeLog.INSTANCE);
        }
        ch.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(headers)
                .setMaxHeaderSize(headers)));
        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(mqttPath == null ? headers : CONSOLE_MAX_BODY));
        ch.pipeline().addLast("http-chunked", new ChunkedWriteHandler());
        ch.pipeline().addLast("http-idle", new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS, TimeUnit.SECONDS));
        ch.pipeline().addLast("upgrade", new WebSocketUpgrade(broker, listener, maxPacketSize(), mqttPath));
        ch.pipeline().addLast("http-handler", http.newHandler(listener));
    }
}
