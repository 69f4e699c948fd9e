package io.courtier.client;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.Disconnect;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.Pingreq;
import io.courtier.codec.Pingresp;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import io.courtier.codec.Unsuback;
import io.courtier.codec.Unsubscribe;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A lean asynchronous MQTT 3.1/3.1.1/5 client on Netty and the courtier codec.
 *
 * <p>Threading: all state belongs to one event loop, chosen when the client is made and reused
 * for every (re)connection, so nothing is locked. Callbacks run on that loop. Calls made from it
 * act at once; calls from other threads are handed to it.
 *
 * <p>QoS 1 and 2 PUBLISHes stay in an in-flight window of {@link MqttClientOptions#maxInflight()}
 * (lowered to the broker's v5 Receive Maximum); beyond it they queue in order. With
 * {@link MqttClientOptions#autoReconnect()} a lost connection is reopened, and in-flight messages
 * are resent with DUP when the broker kept the session [MQTT-4.4.0-1].
 */
public final class MqttClient implements AutoCloseable {

    private final MqttClientOptions options;
    private final EventLoopGroup ownedGroup;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final PacketListener listener;

    // Everything below is touched only on `loop`.
    private Channel channel;
    private boolean connected;
    private boolean everConnected;
    private boolean closing;
    private boolean flushScheduled;
    private boolean pingOutstanding;
    private int window;
    private int nextPacketId = 1;
    private long sendSequence;
    private String assignedClientId;
    private Connack connack;
    private CompletableFuture<Connack> connectFuture;
    private ScheduledFuture<?> connackTimeout;
    private MessageHandler messageHandler = m -> { };
    private Consumer<Throwable> connectionLostHandler = t -> { };
    private Consumer<Connack> connectedHandler = c -> { };
    private Runnable writableHandler = () -> { };
    /** When set, the QoS exchanges are its (see {@link PublishFlow}); else the client's own. */
    private PublishFlow publishFlow;
    private final IntObjectMap<Outgoing> inflight = new IntObjectHashMap<>();
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private final IntObjectMap<CompletableFuture<Suback>> subscribes = new IntObjectHashMap<>();
    private final IntObjectMap<CompletableFuture<Unsuback>> unsubscribes = new IntObjectHashMap<>();
    /**
     * QoS 2 messages received and PUBRECed, held until PUBREL releases them to the handler: each is
     * handed over once, however often the broker resends it (MQTT 3.1.1 section 4.3.3, "method B",
     * as libmosquitto does, so the tools print messages in the same order as Mosquitto's).
     */
    private final IntObjectMap<Publish> incomingQos2 = new IntObjectHashMap<>();
    /** v5 topic aliases the broker set on this connection (only if we announced a Topic Alias Maximum). */
    private final IntObjectMap<String> topicAliases = new IntObjectHashMap<>();

    /** A client with its own one-thread event loop, shut down by {@link #close()}. */
    public MqttClient(MqttClientOptions options) {
        this(options, null);
    }

    /** A client on one loop of a shared group (which the caller shuts down). */
    public MqttClient(MqttClientOptions options, EventLoopGroup group) {
        this.options = options;
        this.ownedGroup = group == null ? ClientLoops.group(1) : null;
        EventLoopGroup g = group == null ? ownedGroup : group;
        this.loop = g.next();
        this.channelClass = ClientLoops.socketChannel(g);
        this.listener = options.packetListener();
        this.window = options.maxInflight();
    }

    public MqttClientOptions options() {
        return options;
    }

    /** The loop that owns this client; callbacks run here. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** Set before connecting; called on the event loop for every incoming PUBLISH. */
    public MqttClient onMessage(MessageHandler handler) {
        this.messageHandler = handler;
        return this;
    }

    /** Called on the event loop when the connection ends without {@link #disconnect()} (and will not be resumed). */
    public MqttClient onConnectionLost(Consumer<Throwable> handler) {
        this.connectionLostHandler = handler;
        return this;
    }

    /**
     * Called on the event loop after every accepted CONNACK, the first and each reconnection's:
     * the place to (re)subscribe when the broker kept no session.
     */
    public MqttClient onConnected(Consumer<Connack> handler) {
        this.connectedHandler = handler;
        return this;
    }

    /**
     * Set before connecting: hands every incoming PUBLISH, PUBACK, PUBREC, PUBREL and PUBCOMP to
     * {@code flow}, which answers them and sends its own PUBLISHes with {@link #write}; the
     * client then neither acknowledges nor numbers messages itself.
     */
    public MqttClient publishFlow(PublishFlow flow) {
        this.publishFlow = flow;
        return this;
    }

    /**
     * Called on the event loop when the socket, after it filled up, takes more again: the moment
     * for a {@link PublishFlow} owner to write what it held back.
     */
    public MqttClient onWritable(Runnable handler) {
        this.writableHandler = handler;
        return this;
    }

    /**
     * Writes a packet on the current connection (flushed with the burst it belongs to); on the
     * event loop only. Consumes a PUBLISH's reference, also when there is no connection.
     */
    public void write(MqttPacket packet) {
        if (!connected || channel == null) {
            ReferenceCountUtil.release(packet);
            return;
        }
        send(packet);
        flushSoon();
    }

    /** Whether the connection is up and its socket takes more without buffering. On the event loop. */
    public boolean isWritable() {
        return connected && channel != null && channel.isWritable();
    }

    /** The CONNACK of the current connection, or null. Read on the event loop. */
    public Connack connack() {
        return connack;
    }

    /** The client identifier in use: the options' one, or the one a v5 broker assigned. */
    public String clientId() {
        return assignedClientId != null ? assignedClientId : options.clientId();
    }

    /** Number of QoS 1/2 PUBLISHes awaiting acknowledgement. Read on the event loop. */
    public int inflightCount() {
        return inflight.size();
    }

    /**
     * Opens the connection and sends CONNECT. Completes with the CONNACK when the broker accepts;
     * fails with {@link MqttConnectException} when it refuses, or with the network error.
     */
    public CompletableFuture<Connack> connect() {
        CompletableFuture<Connack> f = new CompletableFuture<>();
        onLoop(() -> {
            if (connectFuture != null && !connectFuture.isDone()) {
                connectFuture.whenComplete((c, t) -> complete(f, c, t));
                return;
            }
            if (connected) {
                f.complete(connack);
                return;
            }
            connectFuture = f;
            closing = false;
            open();
        });
        return f;
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable t) {
        if (t != null) {
            f.completeExceptionally(t);
        } else {
            f.complete(value);
        }
    }

    private void open() {
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, options.tcpNoDelay())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        buildPipeline(ch.pipeline());
                    }
                });
        ChannelFuture cf = options.bindAddress() != null
                ? b.connect(new java.net.InetSocketAddress(options.host(), options.port()), options.bindAddress())
                : b.connect(options.host(), options.port());
        channel = cf.channel();
        cf.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                connectFailed(done.cause());
            }
        });
    }

    private void buildPipeline(ChannelPipeline p) {
        TransportHandlers.add(p, options.sslContext(), options.host(), options.port(), options.webSocketPath(),
                options.connectTimeoutMillis());
        p.addLast("decoder", new MqttDecoder(options.maxPacketSize(), options.version()));
        p.addLast("encoder", new MqttEncoder(options.version()));
        if (options.keepAlive() > 0) {
            p.addLast("idle", new IdleStateHandler(0, options.keepAlive(), 0, TimeUnit.SECONDS));
        }
        p.addLast("client", new Inbound());
    }

    private void sendConnect(Channel ch) {
        if (ch != channel) {
            return;
        }
        Connect c = new Connect(options.version(), options.clientId(), options.cleanStart(),
                options.keepAlive(), options.username(), options.password(), options.will(),
                options.version().isV5() ? options.connectProperties() : Properties.NONE,
                options.bridge() && !options.version().isV5());
        send(c);
        flush();
        connackTimeout = loop.schedule(() -> {
            if (ch == channel && !connected) {
                ch.close();
            }
        }, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- operations

    /** Subscribes; completes with the SUBACK (whose codes may refuse some filters). */
    public CompletableFuture<Suback> subscribe(List<Subscription> subscriptions, Properties properties) {
        CompletableFuture<Suback> f = new CompletableFuture<>();
        onLoop(() -> {
            if (!connected) {
                f.completeExceptionally(new ConnectionLostException("not connected"));
                return;
            }
            int id = nextPacketId();
            subscribes.put(id, f);
            send(new Subscribe(id, subscriptions, props(properties)));
            flushSoon();
        });
        return f;
    }

    public CompletableFuture<Suback> subscribe(String filter, int qos) {
        return subscribe(List.of(new Subscription(filter, qos)), Properties.NONE);
    }

    /** Unsubscribes; completes with the UNSUBACK. */
    public CompletableFuture<Unsuback> unsubscribe(List<String> filters, Properties properties) {
        CompletableFuture<Unsuback> f = new CompletableFuture<>();
        onLoop(() -> {
            if (!connected) {
                f.completeExceptionally(new ConnectionLostException("not connected"));
                return;
            }
            int id = nextPacketId();
            unsubscribes.put(id, f);
            send(new Unsubscribe(id, filters, props(properties)));
            flushSoon();
        });
        return f;
    }

    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        return publish(topic, Unpooled.wrappedBuffer(payload), qos, retain, Properties.NONE);
    }

    /**
     * Publishes, taking over one reference of {@code payload}. Completes when a QoS 0 message is
     * written, a QoS 1 message PUBACKed, a QoS 2 message PUBCOMPed. Writes are flushed once per
     * burst, so many publishes from one task share a system call.
     */
    public CompletableFuture<Void> publish(String topic, ByteBuf payload, int qos, boolean retain, Properties properties) {
        if (qos < 0 || qos > 2) {
            payload.release();
            throw new IllegalArgumentException("QoS must be 0, 1 or 2");
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        Outgoing o = new Outgoing(new Publish(topic, qos, retain, false, 0, props(properties), payload), f);
        if (loop.inEventLoop()) {
            enqueue(o);
        } else {
            loop.execute(() -> enqueue(o));
        }
        return f;
    }

    private void enqueue(Outgoing o) {
        if (o.publish.qos() == 0) {
            if (!connected) {
                o.publish.release();
                o.done.completeExceptionally(new ConnectionLostException("not connected"));
                return;
            }
            Publish p = o.publish;
            listener.sending(p);
            channel.write(p).addListener(w -> {
                if (w.isSuccess()) {
                    o.done.complete(null);
                } else {
                    o.done.completeExceptionally(w.cause());
                }
            });
            flushSoon();
            return;
        }
        if (connected && inflight.size() < window && waiting.isEmpty()) {
            sendInflight(o);
        } else {
            waiting.add(o);
        }
    }

    private void sendInflight(Outgoing o) {
        int id = nextPacketId();
        o.publish = o.publish.withDelivery(o.publish.qos(), o.publish.retained(), false, id);
        o.sequence = sendSequence++;
        inflight.put(id, o);
        writePublish(o.publish);
    }

    /** The encoder consumes one reference; the window keeps one until the acknowledgement. */
    private void writePublish(Publish p) {
        listener.sending(p);
        channel.write(p.retain(), channel.voidPromise());
        flushSoon();
    }

    private void drainWaiting() {
        while (connected && inflight.size() < window && !waiting.isEmpty()) {
            sendInflight(waiting.poll());
        }
    }

    /** Sends DISCONNECT and closes; completes when the connection is closed. */
    public CompletableFuture<Void> disconnect() {
        return disconnect(Disconnect.NORMAL);
    }

    public CompletableFuture<Void> disconnect(Disconnect packet) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(() -> {
            closing = true;
            Channel ch = channel;
            if (ch == null || !ch.isActive()) {
                f.complete(null);
                return;
            }
            ch.closeFuture().addListener(c -> f.complete(null));
            if (connected) {
                listener.sending(packet);
                ch.writeAndFlush(options.version().isV5() ? packet : Disconnect.NORMAL)
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.close();
            }
        });
        return f;
    }

    /** Drops the connection without DISCONNECT, as a crash would (the broker sends the will). */
    public CompletableFuture<Void> dropConnection() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(() -> {
            Channel ch = channel;
            if (ch == null) {
                f.complete(null);
            } else {
                ch.close().addListener(c -> f.complete(null));
            }
        });
        return f;
    }

    /** Disconnects (if connected) and shuts down the client's own event loop. */
    @Override
    public void close() {
        try {
            disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing anyway.
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---------------------------------------------------------------- internals

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private Properties props(Properties p) {
        return options.version().isV5() && p != null ? p : Properties.NONE;
    }

    private int nextPacketId() {
        // Ids in use are few (the window plus pending (un)subscribes), so this loop ends quickly.
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 65535 ? 1 : id + 1;
            if (!inflight.containsKey(id) && !subscribes.containsKey(id) && !unsubscribes.containsKey(id)) {
                return id;
            }
        }
    }

    private void send(MqttPacket packet) {
        listener.sending(packet);
        channel.write(packet, channel.voidPromise());
    }

    private void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
    }

    private void connectFailed(Throwable cause) {
        if (connectFuture != null && !connectFuture.isDone()) {
            connectFuture.completeExceptionally(cause);
            failAll(new ConnectionLostException("connection failed", cause));
        } else if (!closing && options.autoReconnect() && everConnected) {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        loop.schedule(() -> {
            if (!closing) {
                open();
            }
        }, options.reconnectDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private void connackReceived(Connack c) {
        if (connackTimeout != null) {
            connackTimeout.cancel(false);
        }
        if (c.reasonCode() != 0) {
            MqttConnectException refused = new MqttConnectException(c.reasonCode(), options.version());
            closing = true;
            if (connectFuture != null && !connectFuture.isDone()) {
                connectFuture.completeExceptionally(refused);
            }
            failAll(refused);
            channel.close();
            return;
        }
        connack = c;
        connected = true;
        everConnected = true;
        window = options.maxInflight();
        if (options.version().isV5()) {
            Integer receiveMax = c.properties().integer(PropertyId.RECEIVE_MAXIMUM);
            if (receiveMax != null && receiveMax > 0) {
                window = Math.min(window, receiveMax);
            }
            String assigned = c.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
            if (assigned != null) {
                assignedClientId = assigned;
            }
        }
        if (!c.sessionPresent()) {
            dropIncoming(); // the broker forgot them too: no PUBREL will come
        }
        resumeInflight(c.sessionPresent());
        drainWaiting();
        flushSoon();
        connectedHandler.accept(c);
        if (connectFuture != null && !connectFuture.isDone()) {
            connectFuture.complete(c);
        }
    }

    /**
     * Resends what was in flight when the previous connection dropped. With the session kept,
     * PUBLISHes go again with DUP and acknowledged QoS 2 ones resume at PUBREL [MQTT-4.4.0-1];
     * with a fresh session the broker knows nothing, so unacknowledged PUBLISHes are sent anew.
     */
    private void resumeInflight(boolean sessionPresent) {
        if (inflight.isEmpty()) {
            return;
        }
        List<Outgoing> pending = new ArrayList<>(inflight.values());
        pending.sort((a, b) -> Long.compare(a.sequence, b.sequence));
        for (Outgoing o : pending) {
            if (o.released) {
                if (sessionPresent) {
                    send(new Pubrel(o.publish.packetId()));
                } else {
                    inflight.remove(o.publish.packetId());
                    o.done.complete(null);
                }
            } else {
                Publish p = o.publish;
                o.publish = p.withDelivery(p.qos(), p.retained(), sessionPresent, p.packetId());
                writePublish(o.publish);
            }
        }
    }

    private void messageReceived(Publish p) {
        if (options.version().isV5()) {
            p = resolveAlias(p);
            if (p == null) {
                return;
            }
        }
        try {
            switch (p.qos()) {
                case 0 -> messageHandler.onMessage(p);
                case 1 -> {
                    messageHandler.onMessage(p);
                    send(new Puback(p.packetId()));
                    flushSoon();
                }
                default -> {
                    if (!incomingQos2.containsKey(p.packetId())) {
                        incomingQos2.put(p.packetId(), p.retain());
                    }
                    send(new Pubrec(p.packetId()));
                    flushSoon();
                }
            }
        } finally {
            p.release();
        }
    }

    /**
     * A v5 PUBLISH with a Topic Alias: a topic sets the alias, an empty topic uses it (MQTT 5.0
     * section 3.3.2.3.4). An alias the broker never set on this connection is its protocol
     * error: close the connection. Returns null when the packet was dropped.
     */
    private Publish resolveAlias(Publish p) {
        Integer alias = p.properties().integer(PropertyId.TOPIC_ALIAS);
        if (alias == null) {
            return p;
        }
        if (!p.topic().isEmpty()) {
            topicAliases.put(alias, p.topic());
            return p;
        }
        String topic = topicAliases.get(alias);
        if (topic == null) {
            p.release();
            channel.close();
            return null;
        }
        return new Publish(topic, p.qos(), p.retained(), p.dup(), p.packetId(), p.properties(), p.payload());
    }

    private void acked(int packetId, Throwable failure) {
        Outgoing o = inflight.remove(packetId);
        if (o == null) {
            return;
        }
        if (!o.released) {
            o.publish.release();
        }
        if (failure != null) {
            o.done.completeExceptionally(failure);
        } else {
            o.done.complete(null);
        }
        drainWaiting();
    }

    private void pubrecReceived(Pubrec r) {
        Outgoing o = inflight.get(r.packetId());
        if (o == null) {
            // Not ours (any more): answer so the broker can finish its side.
            send(new Pubrel(r.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE));
            flushSoon();
            return;
        }
        if (r.reasonCode() >= 0x80) {
            // v5: the broker refused the message; the exchange ends here [MQTT-4.3.3-4].
            acked(r.packetId(), new MqttReasonException("PUBREC", r.reasonCode()));
            return;
        }
        if (!o.released) {
            o.released = true;
            o.publish.release();
        }
        send(new Pubrel(r.packetId()));
        flushSoon();
    }

    private void channelClosed(Channel ch, Throwable cause) {
        if (ch != channel) {
            return;
        }
        boolean wasConnected = connected;
        connected = false;
        topicAliases.clear();
        pingOutstanding = false;
        if (connackTimeout != null) {
            connackTimeout.cancel(false);
        }
        ConnectionLostException lost = new ConnectionLostException("connection lost", cause);
        failMap(subscribes, lost);
        failMap(unsubscribes, lost);
        if (connectFuture != null && !connectFuture.isDone()) {
            connectFuture.completeExceptionally(cause != null ? cause : lost);
        }
        if (closing) {
            failAll(new ConnectionLostException("client disconnected"));
            dropIncoming();
            return;
        }
        if (options.autoReconnect() && everConnected) {
            scheduleReconnect();
            return;
        }
        failAll(lost);
        dropIncoming();
        if (wasConnected) {
            connectionLostHandler.accept(cause != null ? cause : lost);
        }
    }

    private void dropIncoming() {
        for (Publish p : incomingQos2.values()) {
            p.release();
        }
        incomingQos2.clear();
    }

    private static <T> void failMap(IntObjectMap<CompletableFuture<T>> map, Throwable t) {
        for (CompletableFuture<T> f : map.values()) {
            f.completeExceptionally(t);
        }
        map.clear();
    }

    private void failAll(Throwable t) {
        for (Outgoing o : inflight.values()) {
            if (!o.released) {
                o.publish.release();
            }
            o.done.completeExceptionally(t);
        }
        inflight.clear();
        Outgoing o;
        while ((o = waiting.poll()) != null) {
            o.publish.release();
            o.done.completeExceptionally(t);
        }
    }

    /** A QoS 1/2 PUBLISH on its way: holds one payload reference until acknowledged. */
    private static final class Outgoing {
        /** Send order, to resend in order after a reconnection. */
        long sequence;
        Publish publish;
        final CompletableFuture<Void> done;
        boolean released;

        Outgoing(Publish publish, CompletableFuture<Void> done) {
            this.publish = publish;
            this.done = done;
        }
    }

    /** The pipeline's last handler: packets in, lifecycle events. Runs on `loop`. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private Throwable cause;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (options.webSocketPath() == null) {
                sendConnect(ctx.channel());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                sendConnect(ctx.channel());
            } else if (evt instanceof IdleStateEvent) {
                if (pingOutstanding) {
                    // No PINGRESP within a whole keepalive period: the broker is gone [MQTT-3.1.2-24].
                    ctx.close();
                } else if (connected) {
                    pingOutstanding = true;
                    send(Pingreq.INSTANCE);
                    flush();
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof MqttPacket packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            listener.received(packet);
            if (publishFlow != null && (packet instanceof Publish || packet instanceof Puback
                    || packet instanceof Pubrec || packet instanceof Pubrel || packet instanceof Pubcomp)) {
                publishFlow.received(packet);
            } else if (packet instanceof Publish p) {
                messageReceived(p);
            } else if (packet instanceof Puback a) {
                acked(a.packetId(), a.reasonCode() >= 0x80 ? new MqttReasonException("PUBACK", a.reasonCode()) : null);
            } else if (packet instanceof Pubrec r) {
                pubrecReceived(r);
            } else if (packet instanceof Pubrel r) {
                Publish held = incomingQos2.remove(r.packetId());
                if (held != null) {
                    try {
                        messageHandler.onMessage(held);
                    } finally {
                        held.release();
                    }
                }
                send(new Pubcomp(r.packetId()));
                flushSoon();
            } else if (packet instanceof Pubcomp c) {
                acked(c.packetId(), null);
            } else if (packet instanceof Connack c) {
                connackReceived(c);
            } else if (packet instanceof Suback s) {
                CompletableFuture<Suback> f = subscribes.remove(s.packetId());
                if (f != null) {
                    f.complete(s);
                }
            } else if (packet instanceof Unsuback u) {
                CompletableFuture<Unsuback> f = unsubscribes.remove(u.packetId());
                if (f != null) {
                    f.complete(u);
                }
            } else if (packet instanceof Pingresp) {
                pingOutstanding = false;
            } else if (packet instanceof Disconnect d) {
                cause = new MqttReasonException("DISCONNECT", d.reasonCode());
                ctx.close();
            } else {
                // CONNECT, SUBSCRIBE, PINGREQ... are server-bound: a broker sending one is broken.
                ctx.close();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && ctx.channel() == channel) {
                writableHandler.run();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channelClosed(ctx.channel(), cause);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            if (cause == null) {
                cause = t;
            }
            ctx.close();
        }
    }
}
