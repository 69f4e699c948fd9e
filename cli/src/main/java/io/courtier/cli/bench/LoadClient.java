package io.courtier.cli.bench;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One bench connection: CONNECT, optional SUBSCRIBE, then it publishes from a template and/or
 * counts what it receives. All of it runs on the channel's event loop; acknowledgements are
 * written as raw bytes, the cheapest thing a client can do.
 */
final class LoadClient extends ChannelInboundHandlerAdapter {

    private static final int BATCH = 64;

    final CompletableFuture<LoadClient> connected = new CompletableFuture<>();
    final CompletableFuture<LoadClient> subscribed = new CompletableFuture<>();
    private final String clientId;
    private final Tally tally;
    private final Tally.Totals totals;
    private Channel channel;
    /** Over WebSocket, CONNECT waits for the HTTP upgrade to complete. */
    private final boolean overWebSocket;
    /** The CONNECT's credentials; null for anonymous. */
    private final String username;
    private final byte[] password;

    // Publishing state (publishers only).
    private PublishTemplate template;
    private int window;
    private long limit;
    private double tokensPerMilli;
    private double tokens;
    private volatile boolean stopped = true;
    private long sequence;
    private int inflight;
    /**
     * Packet ids in flight, made when a QoS 1/2 publisher starts: 64 KB per connection would be
     * 6.5 GB for {@code bench conn}'s 100,000 idle subscribers, which never use one.
     */
    private boolean[] idInUse;
    private int nextId = 1;
    private volatile long acked;

    LoadClient(String clientId, Tally tally, Tally.Totals totals, boolean overWebSocket, String username,
               String password) {
        this.overWebSocket = overWebSocket;
        this.username = username;
        this.password = password == null ? null : password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.clientId = clientId;
        this.tally = tally;
        this.totals = totals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (!overWebSocket) {
            sendConnect(ctx); // over TLS the SslHandler holds it until its handshake is done
        }
        ctx.fireChannelActive();
    }

    private void sendConnect(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new Connect(MqttVersion.V3_1_1, clientId, true, 300, username, password, null,
                Properties.NONE));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendConnect(ctx);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            connected.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            ctx.close();
        } else if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            connected.completeExceptionally(e.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    void subscribe(String filter, int qos) {
        channel.writeAndFlush(new Subscribe(1, List.of(new Subscription(filter, qos)), Properties.NONE));
    }

    /**
     * Starts publishing: {@code limit} messages at most, {@code ratePerSecond} (0 = flat out),
     * at most {@code window} unacknowledged at QoS 1/2.
     */
    void startPublishing(PublishTemplate template, int window, long limit, double ratePerSecond) {
        channel.eventLoop().execute(() -> {
            this.template = template;
            if (template.qosOf() > 0 && idInUse == null) {
                idInUse = new boolean[65536];
            }
            this.window = Math.max(1, Math.min(window, 65_000));
            this.limit = limit;
            this.tokensPerMilli = ratePerSecond / 1000.0;
            this.stopped = false;
            if (ratePerSecond > 0) {
                channel.eventLoop().scheduleAtFixedRate(this::refill, 1, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                pump();
            }
        });
    }

    void stopPublishing() {
        stopped = true;
    }

    private void refill() {
        if (stopped) {
            return;
        }
        // Never bank more than a tenth of a second of tokens: a stall must not become a burst.
        tokens = Math.min(tokens + tokensPerMilli, Math.max(1, tokensPerMilli * 100));
        pump();
    }

    /** Writes as many messages as the window, the rate, the limit and the socket allow. */
    private void pump() {
        int written = 0;
        boolean paced = tokensPerMilli > 0;
        while (!stopped && sequence < limit && channel.isWritable()
                && (template.qosOf() == 0 || inflight < window) && (!paced || tokens >= 1)) {
            int id = 0;
            if (template.qosOf() > 0) {
                id = allocateId();
                inflight++;
            }
            channel.write(template.render(channel.alloc(), id, sequence++, System.nanoTime()), channel.voidPromise());
            totals.sent.increment();
            if (paced) {
                tokens -= 1;
            }
            if (++written == BATCH) {
                channel.flush();
                written = 0;
            }
        }
        if (written > 0) {
            channel.flush();
        }
    }

    private int allocateId() {
        while (idInUse[nextId]) {
            nextId = nextId == 65535 ? 1 : nextId + 1;
        }
        int id = nextId;
        idInUse[id] = true;
        nextId = nextId == 65535 ? 1 : nextId + 1;
        return id;
    }

    private void acknowledged(int id) {
        if (idInUse != null && idInUse[id]) {
            idInUse[id] = false;
            inflight--;
            acked++;
            totals.acked.increment();
            pump();
        }
    }

    /** Messages written so far. */
    long published() {
        return sequence;
    }

    /** Messages the broker acknowledged (PUBACK, or PUBCOMP at QoS 2). */
    long acked() {
        return acked;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && template != null) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Publish p) {
                received(ctx, p);
            } else if (msg instanceof MqttPacket packet) {
                control(ctx, packet);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void received(ChannelHandlerContext ctx, Publish p) {
        if (tally != null) {
            tally.record(p.payload(), System.nanoTime());
        }
        if (p.qos() == 1) {
            ctx.write(ack(ctx, 0x40, p.packetId()), ctx.voidPromise());
        } else if (p.qos() == 2) {
            ctx.write(ack(ctx, 0x50, p.packetId()), ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // one flush for every acknowledgement of a read batch
        ctx.fireChannelReadComplete();
    }

    private static ByteBuf ack(ChannelHandlerContext ctx, int firstByte, int packetId) {
        return ctx.alloc().buffer(4).writeByte(firstByte).writeByte(2).writeShort(packetId);
    }

    private void control(ChannelHandlerContext ctx, MqttPacket packet) {
        // Java 17: no pattern matching in switch yet.
        if (packet instanceof Connack c) {
            if (c.reasonCode() == 0) {
                connected.complete(this);
            } else {
                connected.completeExceptionally(new IllegalStateException("CONNACK " + c.reasonCode()));
            }
        } else if (packet instanceof Suback) {
            subscribed.complete(this);
        } else if (packet instanceof Puback a) {
            acknowledged(a.packetId());
        } else if (packet instanceof Pubrec r) {
            ctx.write(ack(ctx, 0x62, r.packetId()), ctx.voidPromise());
        } else if (packet instanceof Pubcomp c) {
            acknowledged(c.packetId());
        } else if (packet instanceof Pubrel r) {
            ctx.write(ack(ctx, 0x70, r.packetId()), ctx.voidPromise());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IllegalStateException closed = new IllegalStateException("connection closed by the broker");
        connected.completeExceptionally(closed);
        subscribed.completeExceptionally(closed);
        stopped = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        ctx.close();
    }

    Channel channel() {
        return channel;
    }
}
