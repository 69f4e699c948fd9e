package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.protocol.MqttConnection;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.MqttCodec;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of a plain MQTT connection: byte counting, the codec (decoder and encoder as one
 * handler, {@link MqttCodec}: a handler fewer per connection), and the connection's state
 * machine. Flushes are batched by the connection itself (one per client per event-loop turn), so
 * there is no FlushConsolidationHandler: one handler fewer per idle connection.
 */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    /** Slack over message_size_limit for a PUBLISH's fixed header, topic and properties. */
    private static final int HEADER_ALLOWANCE = 65_536 + 16;

    private final BrokerContext broker;
    private final ListenerConfig listener;
    private final ByteCounter byteCounter;
    /** The listener's TLS context (null: plain TCP); replaced when certificates are reloaded. */
    private volatile SslContext ssl;

    MqttChannelInitializer(BrokerContext broker, BrokerStats stats, ListenerConfig listener) {
        this.broker = broker;
        this.listener = listener;
        this.byteCounter = new ByteCounter(stats);
    }

    /**
     * The decoder refuses, from its fixed header alone, a packet over max_packet_size, or one that
     * cannot fit message_size_limit whatever its topic; a payload just over the limit is read and
     * then dropped by the PUBLISH handler, as Mosquitto does.
     */
    static int decoderLimit(int maxPacketSize, int messageSizeLimit) {
        long fromMessageLimit = messageSizeLimit > 0 ? (long) messageSizeLimit + HEADER_ALLOWANCE : 0;
        long limit = maxPacketSize > 0 && fromMessageLimit > 0 ? Math.min(maxPacketSize, fromMessageLimit)
                : Math.max(maxPacketSize, fromMessageLimit);
        return (int) Math.min(limit, MqttDecoder.MAX_REMAINING_LENGTH + 5L);
    }

    void sslContext(SslContext context) {
        this.ssl = context;
    }

    /** Socket options read per connection from the configuration in force (a reload may change them). */
    static void socketOptions(Channel ch, BrokerContext broker) {
        ch.config().setOption(io.netty.channel.ChannelOption.TCP_NODELAY, broker.config().setTcpNodelay());
    }

    @Override
    protected void initChannel(Channel ch) {
        socketOptions(ch, broker);
        ch.pipeline().addLast("bytes", byteCounter);
        // A PROXY header comes before anything else, TLS included (a proxy passing TLS through).
        ProxyHeaderHandler.addTo(ch.pipeline(), listener, broker.connectTimeoutMillis());
        SslContext tls = ssl;
        if (tls != null) {
            ch.pipeline().addLast("ssl", tls.newHandler(ch.alloc()));
            ch.pipeline().addLast("tls-log", TlsHandshakeLog.INSTANCE);
        }
        // Read per connection: a reload (SIGHUP) may have changed max_packet_size or message_size_limit.
        var config = broker.config();
        int limit = decoderLimit(config.maxPacketSize(), config.messageSizeLimit());
        addMqttHandlers(ch.pipeline(), broker, listener, limit);
    }

    /**
     * The MQTT end of a pipeline, shared by TCP and WebSocket listeners: the codec and the state
     * machine (which batches its own flushes: one per client per event-loop turn).
     */
    static void addMqttHandlers(ChannelPipeline p, BrokerContext broker, ListenerConfig listener, int maxPacketSize) {
        p.addLast("codec", new MqttCodec(new MqttDecoder(maxPacketSize), new MqttEncoder(null)));
        p.addLast("mqtt", new MqttConnection(broker, listener));
    }
}
