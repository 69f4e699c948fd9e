package io.courtier.broker.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client built from Netty's own client handshaker and frame codec (not ours), that
 * lets a test choose exactly how MQTT bytes are cut into frames. It records every byte of the
 * binary frames it receives, as one stream, and the other frames it sees.
 */
final class RawWebSocketClient implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ByteBuf received = Unpooled.buffer();
    final BlockingQueue<WebSocketFrame> controlFrames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Channel channel;

    RawWebSocketClient(URI uri, String subprotocol) throws Exception {
        this(uri, subprotocol, null);
    }

    /** As a load balancer would: {@code preamble} (a PROXY protocol header) goes out before the HTTP upgrade. */
    RawWebSocketClient(URI uri, String subprotocol, byte[] preamble) throws Exception {
        CompletableFuture<Void> handshake = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (preamble != null) {
                            ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(preamble));
                                    ctx.pipeline().remove(this);
                                    ctx.fireChannelActive();
                                }
                            });
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, subprotocol, false, new DefaultHttpHeaders(),
                                        1 << 20), false, false),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            handshake.complete(null);
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                        if (f instanceof BinaryWebSocketFrame || f instanceof ContinuationWebSocketFrame) {
                                            synchronized (received) {
                                                received.writeBytes(f.content());
                                            }
                                        } else {
                                            controlFrames.add(f.retain());
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        closed.complete(null);
                                        handshake.completeExceptionally(new IllegalStateException("closed"));
                                    }
                                });
                    }
                }).connect(uri.getHost(), uri.getPort()).sync().channel();
        handshake.get(5, TimeUnit.SECONDS);
    }

    void send(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Sends bytes given as hex in one binary frame. */
    void sendBinary(String hex) {
        send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex))));
    }

    /** Every binary byte received so far, as hex. */
    String receivedHex() {
        synchronized (received) {
            return ByteBufUtil.hexDump(received);
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        WebSocketFrame f;
        while ((f = controlFrames.poll()) != null) {
            f.release();
        }
    }

    static boolean isPong(WebSocketFrame f) {
        return f instanceof PongWebSocketFrame;
    }

    static boolean isClose(WebSocketFrame f) {
        return f instanceof CloseWebSocketFrame;
    }
}
