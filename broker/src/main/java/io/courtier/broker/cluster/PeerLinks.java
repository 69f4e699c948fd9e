package io.courtier.broker.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct TCP links that carry forwarded messages between nodes, on the broker's own event
 * loops, beside Hazelcast's member connection (port {@code cluster_listener} + 1). A message
 * published on one node is written to the peer's link from the publisher's event loop and routed
 * on the peer from the event loop that reads it: no Hazelcast IO or event thread in between
 * (each was a thread hop, and on a busy machine a hop is where the tail latency grows).
 * <p>
 * Frames are length-prefixed. The connecting node sends a hello (cluster name, its node name)
 * first; the accepting node takes the link only from a current member of its cluster at that
 * member's address, else closes it. Then each frame one way is a {@link Forwarded} message, and
 * each frame back an acknowledgement: how many of the messages the peer has routed
 * ({@link InboundPeers}).
 */
final class PeerLinks implements AutoCloseable {

    /** The link port is the cluster port plus this. */
    static final int PORT_OFFSET = 1;
    /** Past an MQTT message's largest size (256 MB) with room for the envelope. */
    private static final int MAX_FRAME = 300 * 1024 * 1024;
    private static final long RECONNECT_MILLIS = 200;
    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** What arrives on a link accepted from a peer. */
    interface Receiver {
        /** A peer forwarded this; {@code ack} writes an acknowledgement back on the link. */
        void received(byte[] forwarded, LongConsumer ack);
    }

    private final String clusterName;
    private final String me;
    private final ClusterBroker.Loops loops;
    /** (node, remote address): is this a current member at that address? */
    private final BiPredicate<String, InetAddress> member;
    private final Receiver receiver;
    /** Tunables.peerLinkDelay, for tests: frames wait this long on this thread before they are written. */
    private final ScheduledExecutorService delayed;
    private final long delayMillis;
    private Channel server;

    PeerLinks(String clusterName, String me, ClusterBroker.Loops loops, BiPredicate<String, InetAddress> member,
              Receiver receiver, Duration delay) {
        this.delayMillis = delay.toMillis();
        this.delayed = delayMillis == 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "courtier-link-delay");
            t.setDaemon(true);
            return t;
        });
        this.clusterName = clusterName;
        this.me = me;
        this.loops = loops;
        this.member = member;
        this.receiver = receiver;
    }

    /** Listens on {@code port} of {@code host} (null: every address). */
    void listen(String host, int port) {
        ServerBootstrap b = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4),
                                new LengthFieldPrepender(4), new Accepted());
                    }
                });
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        try {
            server = b.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted binding the cluster link port " + port, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cluster: cannot listen for peers' messages on port " + port
                    + " (cluster_listener port + 1): " + e.getMessage(), e);
        }
    }

    /** A link to {@code node} at {@code host:port}, connecting now and again while it is open. */
    Link connect(String node, String host, int port, LongConsumer acked) {
        Link link = new Link(node, new InetSocketAddress(host, port), acked);
        link.connect();
        return link;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (delayed != null) {
            delayed.shutdownNow();
        }
    }

    /** One node's link to a peer: writes forwarded messages in order, reads the peer's acknowledgements. */
    final class Link {
        private final String node;
        private final InetSocketAddress address;
        private final LongConsumer acked;
        /** Set once connected and greeted; until then frames wait in {@link #waiting}. */
        private volatile Channel channel;
        private final Queue<ByteBuf> waiting = new ArrayDeque<>();
        private volatile boolean closed;
        private boolean warned;

        private Link(String node, InetSocketAddress address, LongConsumer acked) {
            this.node = node;
            this.address = address;
            this.acked = acked;
        }

        /** Writes one frame; from any thread, without blocking. Frames from one thread keep their order. */
        void send(byte[] frame) {
            if (delayed != null) {
                delayed.schedule(() -> write(frame), delayMillis, TimeUnit.MILLISECONDS); // in order: one thread
                return;
            }
            write(frame);
        }

        private void write(byte[] frame) {
            Channel ch = channel;
            if (ch == null) {
                synchronized (this) {
                    ch = channel;
                    if (ch == null) {
                        if (!closed) {
                            waiting.add(Unpooled.wrappedBuffer(frame));
                        }
                        return;
                    }
                }
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(frame), ch.voidPromise());
        }

        void close() {
            closed = true;
            Channel ch;
            synchronized (this) {
                ch = channel;
                channel = null;
                waiting.forEach(ByteBuf::release);
                waiting.clear();
            }
            if (ch != null) {
                ch.close();
            }
        }

        private void connect() {
            if (closed) {
                return;
            }
            Bootstrap b = new Bootstrap().group(loops.group()).channel(loops.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4), new Acks());
                        }
                    });
            b.connect(address).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    if (!closed && !warned) {
                        warned = true;
                        LOG.warn("Cluster: cannot reach node {}'s message link at {} yet ({}); trying again.", node,
                                address, f.cause().getMessage());
                    }
                    retry();
                    return;
                }
                Channel ch = f.channel();
                ch.writeAndFlush(Unpooled.wrappedBuffer((clusterName + "\n" + me).getBytes(StandardCharsets.UTF_8)));
                synchronized (this) {
                    if (closed) {
                        ch.close();
                        return;
                    }
                    for (ByteBuf waited; (waited = waiting.poll()) != null; ) {
                        ch.write(waited, ch.voidPromise());
                    }
                    ch.flush();
                    channel = ch;
                }
                ch.closeFuture().addListener(c -> {
                    synchronized (this) {
                        if (channel == ch) {
                            channel = null;
                        }
                    }
                    if (!closed) {
                        LOG.warn("Cluster: the message link to node {} closed; connecting again.", node);
                        retry();
                    }
                });
            });
        }

        private void retry() {
            if (!closed) {
                loops.group().schedule(this::connect, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /** The peer's acknowledgements: how many of this link's messages it has routed. */
        private final class Acks extends SimpleChannelInboundHandler<ByteBuf> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                acked.accept(frame.readLong());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.warn("Cluster: the message link to node {} failed: {}", node, cause.toString());
                ctx.close();
            }
        }
    }

    /** A link a peer opened to this node: its hello, then the messages it forwards. */
    private final class Accepted extends SimpleChannelInboundHandler<ByteBuf> {
        private boolean greeted;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (!greeted) {
                String hello = frame.toString(StandardCharsets.UTF_8);
                int nl = hello.indexOf('\n');
                InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
                String node = nl < 0 ? null : hello.substring(nl + 1);
                if (nl < 0 || !hello.substring(0, nl).equals(clusterName) || !member.test(node, from)) {
                    LOG.warn("Cluster: refused a message link from {}: not a node of cluster {} at that address.",
                            from.getHostAddress(), clusterName);
                    ctx.close();
                    return;
                }
                greeted = true;
                return;
            }
            Channel ch = ctx.channel();
            receiver.received(ByteBufUtil.getBytes(frame), count -> {
                ByteBuf ack = ch.alloc().buffer(8).writeLong(count);
                ch.writeAndFlush(ack, ch.voidPromise());
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("Cluster: a peer's message link failed: {}", cause.toString());
            ctx.close();
        }
    }
}
