package io.courtier.broker.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** Native epoll on Linux (x86-64 and aarch64 natives ship with us), NIO everywhere else. */
public final class EventLoops {
    private EventLoops() {
    }

    public static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    public static EventLoopGroup group(int threads) {
        IoHandlerFactory factory = nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Server channels of one address family: {@code socket_domain ipv4} needs an AF_INET socket,
     * as a dual-stack socket bound to 0.0.0.0 listens on :: instead. Null: the default family.
     */
    public static io.netty.channel.ChannelFactory<ServerChannel> serverChannelFactory(String socketDomain) {
        if (socketDomain == null) {
            Class<? extends ServerChannel> type = serverChannel();
            return new io.netty.channel.ReflectiveChannelFactory<>(type)::newChannel;
        }
        io.netty.channel.socket.SocketProtocolFamily family = socketDomain.equals("ipv4")
                ? io.netty.channel.socket.SocketProtocolFamily.INET : io.netty.channel.socket.SocketProtocolFamily.INET6;
        return nativeEpoll() ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(java.nio.channels.spi.SelectorProvider.provider(), family);
    }

    /** The client-side channel class matching {@link #group}'s transport. */
    public static Class<? extends SocketChannel> socketChannel() {
        return nativeEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
