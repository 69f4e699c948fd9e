package io.courtier.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Native epoll when its library is on the class path (it ships with the broker), NIO otherwise. */
public final class ClientLoops {
    private ClientLoops() {
    }

    /** A new event loop group; the caller shuts it down. */
    public static EventLoopGroup group(int threads) {
        IoHandlerFactory factory = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /**
     * The socket channel class matching a group made by {@link #group}, or one loop of any I/O
     * group (a broker's bridge runs its client on one of the broker's own loops).
     */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        boolean epoll = group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
