package io.courtier.broker.transport;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.sys.BrokerStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the configured listeners and keeps their server channels. */
public final class Listeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** Where an http (console) listener also accepts MQTT over WebSockets, for the console page. */
    public static final String CONSOLE_MQTT_PATH = "/mqtt";

    /**
     * One receive-size policy for every connection. Netty's default makes one per channel (32
     * bytes each, all alike); each channel keeps its own guess in its handle either way. 16 reads
     * per wake-up, as Netty's default for a socket channel (a new allocator's own default is 1).
     */
    private static final RecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16);

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ByteBufAllocator buffers;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final TlsFiles tlsFiles = new TlsFiles();

    public Listeners(EventLoopGroup acceptors, EventLoopGroup workers) {
        this(acceptors, workers, PooledByteBufAllocator.DEFAULT);
    }

    /** With the pool the connections take their buffers from (a private broker's own, dropped with it). */
    public Listeners(EventLoopGroup acceptors, EventLoopGroup workers, ByteBufAllocator buffers) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.buffers = buffers;
    }

    /**
     * Where a listener would bind (its address or bind_interface resolved), without binding:
     * fails as {@link #bindAll} would on a name or interface that does not resolve.
     */
    public static InetSocketAddress resolve(ListenerConfig l) {
        return BindAddress.of(l);
    }

    /** Binds every listener; fails with a clear message if one cannot be bound. */
    public void bindAll(BrokerConfig config, BrokerContext broker, BrokerStats stats) {
        bindAll(config, broker, stats, HttpHandlers.NOT_FOUND);
    }

    /**
     * Binds every listener; {@code http} answers plain HTTP requests on websockets listeners
     * (http_dir) and on http listeners (the console).
     */
    public void bindAll(BrokerConfig config, BrokerContext broker, BrokerStats stats, HttpHandlers http) {
        // Counted always and read from the configuration in force, as global_max_connections is
        // reloaded by SIGHUP in Mosquitto 2.1; max_connections is not.
        ConnectionLimit.Cap global = new ConnectionLimit.Cap("global_max_connections",
                () -> broker.config().globalMaxConnections(), new AtomicInteger());
        for (ListenerConfig l : config.listeners()) {
            InetSocketAddress address = BindAddress.of(l);
            boolean ipv6 = address.getAddress() instanceof Inet6Address;
            if (config.localOnly() && ipv6 && !hasIpv6Loopback()) {
                continue; // no IPv6 on this host: local-only mode serves IPv4 alone
            }
            if (l.protocol() != ListenerProtocol.MQTT) {
                // Mosquitto's wording for its libwebsockets listeners; "http" is our console.
                LOG.info("Opening {} listen socket on port {}.", l.protocol().name().toLowerCase(java.util.Locale.ROOT),
                        l.port());
            } else if (address.getAddress().isAnyLocalAddress() && l.socketDomain() == null) {
                LOG.info("Opening ipv4 listen socket on port {}.", l.port());
                LOG.info("Opening ipv6 listen socket on port {}.", l.port());
            } else {
                LOG.info("Opening {} listen socket on port {}.", ipv6 ? "ipv6" : "ipv4", l.port());
            }
            ServerBootstrap b = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channelFactory(EventLoops.serverChannelFactory(l.socketDomain()))
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // Pooled direct buffers with a memory address: copying a payload into a message
                    // or an encoded PUBLISH is a memory copy. Netty 4.2's default adaptive allocator
                    // made two java.nio.DirectByteBuffer views per copy, a quarter of all allocation.
                    .childOption(ChannelOption.ALLOCATOR, buffers)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_SIZES)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                    .childHandler(initializer(broker, stats, http, l));
            List<ConnectionLimit.Cap> caps = new ArrayList<>(2);
            if (l.maxConnections() > 0) {
                int max = l.maxConnections();
                caps.add(new ConnectionLimit.Cap("max_connections", () -> max, new AtomicInteger()));
            }
            caps.add(global);
            b.handler(new ConnectionLimit(caps));
            try {
                serverChannels.add(b.bind(address).sync().channel());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot listen on " + describe(address) + ": " + bindError(e), e);
            }
        }
        if (serverChannels.isEmpty()) {
            throw new IllegalStateException("No listener could be opened.");
        }
    }

    private ChannelInitializer<Channel> initializer(BrokerContext broker, BrokerStats stats, HttpHandlers http,
                                                    ListenerConfig l) {
        if (l.protocol() == ListenerProtocol.MQTT) {
            MqttChannelInitializer init = new MqttChannelInitializer(broker, stats, l);
            if (l.tls() != null) {
                useTls(l, init::sslContext);
            }
            return init;
        }
        WebSocketChannelInitializer init = new WebSocketChannelInitializer(broker, stats, l, http,
                l.protocol() == ListenerProtocol.HTTP ? CONSOLE_MQTT_PATH : null);
        if (l.tls() != null) {
            useTls(l, init::sslContext); // wss:// and https://
        }
        return init;
    }

    private void useTls(ListenerConfig l, java.util.function.Consumer<SslContext> initializer) {
        tlsFiles.add(l, initializer);
        LOG.info("TLS on port {} with {}.", l.port(), TlsContexts.provider() == io.netty.handler.ssl.SslProvider.OPENSSL
                ? "BoringSSL (netty-tcnative)" : "the JDK's TLS");
    }

    /**
     * SIGHUP: reads every TLS listener's certificate, key, CA and CRL files again; new connections
     * use them, open ones keep their session. A listener whose files fail keeps the old ones.
     * The files are also read again when they change on disk ({@link TlsFiles}).
     */
    public void reloadTls() {
        tlsFiles.reloadAll();
    }

    private static boolean hasIpv6Loopback() {
        try {
            return java.net.NetworkInterface.networkInterfaces()
                    .flatMap(java.net.NetworkInterface::inetAddresses)
                    .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    /**
     * The operating system's reason, as mosquitto prints it ("Address already in use"): Netty's
     * native epoll prefixes it with the syscall and errno ("bind(..) failed with error(-98): "),
     * which tells a user nothing more.
     */
    static String bindError(Throwable e) {
        String message = String.valueOf(e.getMessage());
        return message.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    }

    private static String describe(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return (ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress()) + ":" + a.getPort();
    }

    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : serverChannels) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    /** Stops accepting new connections. */
    @Override
    public void close() {
        tlsFiles.close();
        for (Channel c : serverChannels) {
            c.close().syncUninterruptibly();
        }
        serverChannels.clear();
    }
}
