package io.courtier.broker.protocol;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.Disconnect;
import io.courtier.codec.MqttDecoderException;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Unsubscribe;
import io.courtier.codec.Will;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the packet state machine. Each packet type has its own small handler
 * ({@link ConnectHandler}, {@link PublishHandler}, ...), in the spirit of Mosquitto's
 * handle_*.c files; this class owns the state they share and the connection's life cycle.
 * Everything runs on the channel's event loop.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements ClientLink {

    static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** CLOSING: a DISCONNECT went out and the socket closes once it is written; nothing more is read. */
    enum State { AWAIT_CONNECT, CONNECTING, CONNECTED, CLOSING, CLOSED }

    final BrokerContext broker;
    final ListenerConfig listener;
    /** The listener's mount_point, null without one. */
    final MountPoint mountPoint;
    ChannelHandlerContext ctx;
    State state = State.AWAIT_CONNECT;
    MqttVersion version;
    String clientId;
    String username;
    Will will;
    int keepAlive;
    Session session;
    /** MQTT 5 connection parameters; defaults are the standard's for an absent property. */
    final V5Options v5 = new V5Options();
    private boolean disconnectReceived;
    private boolean takenOver;
    private boolean takenOverBySameSession;
    private boolean timedOut;
    private boolean brokeProtocol;
    private final List<MqttPacket> receivedWhileConnecting = new ArrayList<>(0);
    /** Whether reading is paused for back-pressure ({@link #pauseReadingFor}). */
    private boolean paused;
    /** Packets of the last read that came after the pause, handled on resume (made on first use). */
    private java.util.ArrayDeque<MqttPacket> heldWhilePaused;
    /** Inbound QoS 2 ids resent once on this connection before their PUBREL; made on the first resend. */
    private java.util.BitSet resentQos2;
    private ScheduledFuture<?> connectTimeout;
    /** When the client's credentials (a JWT) expire, epoch millis; 0 when they do not. */
    private long credentialsValidUntil;
    /** Disconnects the client then; null when they do not expire. */
    private ScheduledFuture<?> credentialsExpiry;
    /** This connection on its loop's {@link KeepAliveWheel}, once connected with a keep-alive. */
    private KeepAliveWheel.Entry keepAliveEntry;
    private io.courtier.broker.security.ListenerSecurity listenerSecurity;
    /** A flush is queued on the loop for what {@link #send} wrote; made on the first send. */
    private boolean flushPending;
    private Runnable flushTask;

    public MqttConnection(BrokerContext broker, ListenerConfig listener) {
        this.broker = broker;
        this.listener = listener;
        this.mountPoint = MountPoint.of(listener.mountPoint());
    }

    // ---- life cycle ----------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        broker.connections.add(this);
        broker.stats.socketConnections.increment();
        if (broker.config.connectionMessages()) {
            io.netty.handler.ssl.SslHandler tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            if (tls == null || tls.handshakeFuture().isDone()) {
                LOG.info("New connection from {} on port {}.", address(), localPort());
            } else {
                // A socket that never completes its handshake gets one line from TlsHandshakeLog instead.
                tls.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        LOG.info("New connection from {} on port {}.", address(), localPort());
                    }
                });
            }
        }
        connectTimeout = ctx.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT) {
                LOG.info("Client {} did not send CONNECT in time, disconnecting.", address());
                ctx.close();
            }
        }, broker.connectTimeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        broker.stats.messagesReceived.increment();
        if (keepAliveEntry != null) {
            keepAliveEntry.read();
        }
        if (state == State.CONNECTING) {
            receivedWhileConnecting.add(packet); // the client may pipeline packets after CONNECT
            return;
        }
        if (paused) {
            // The rest of a read that came in before the pause: a 64 KB read holds hundreds of
            // PUBLISHes, too many to add to a backlog that is already over its mark.
            if (heldWhilePaused == null) {
                heldWhilePaused = new java.util.ArrayDeque<>();
            }
            heldWhilePaused.add(packet);
            return;
        }
        handle(packet);
    }

    private void handle(MqttPacket packet) {
        try {
            dispatch(packet);
        } finally {
            ReferenceCountUtil.release(packet);
        }
        pauseIfCongested();
    }

    /** What this client's packets found backed up: filled in by the routing of what it publishes. */
    final Congestion congestion = new Congestion();

    /** Stops reading when what this client published found a target backed up (not its own session). */
    private boolean pauseIfCongested() {
        DeliveryTarget congested = congestion.take();
        if (congested != null && congested != session) { // its own acknowledgements come this way
            pauseReadingFor(congested);
            return true;
        }
        return false;
    }

    /**
     * Back-pressure: what this client published filled another loop's share of work for a
     * session, or reached a subscriber whose backlog is over its high mark, so stop reading its
     * socket (TCP then slows the client down) until that loop or subscriber has caught up (or the
     * subscriber is found too slow to wait for). Nothing is dropped, and the heap stays bounded.
     */
    private void pauseReadingFor(DeliveryTarget congested) {
        if (paused) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        congested.whenRelieved(() -> {
            try {
                ctx.executor().execute(this::resumeReading);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the broker is shutting down: nothing left to read for
            }
        });
    }

    /**
     * An ACL check that has to ask a backend: reading stops (later packets wait, in order) until
     * {@code answer} completes, then {@code then} runs on this loop with it and reading resumes.
     * {@code then} also runs when the connection closed meanwhile, so it can release what it holds.
     */
    <T> void waitFor(java.util.concurrent.CompletableFuture<T> answer, java.util.function.Consumer<T> then) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        answer.whenComplete((value, failure) -> {
            try {
                ctx.executor().execute(() -> {
                    try {
                        then.accept(value);
                    } catch (RuntimeException e) {
                        LOG.warn("Closing client {} after an internal error", describe(), e);
                        ctx.close();
                    }
                    paused = false;
                    if (!pauseIfCongested() && state != State.CLOSED) {
                        resumeReading();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the broker is shutting down
            }
        });
    }

    /** Handles what was held back, unless that pauses again, then reads the socket again. */
    private void resumeReading() {
        paused = false;
        MqttPacket held;
        while (!paused && heldWhilePaused != null && (held = heldWhilePaused.poll()) != null) {
            handle(held);
        }
        if (!paused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void dispatch(MqttPacket packet) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(PacketLog.received(clientId, packet));
        }
        if (packet instanceof Connect connect) {
            if (state != State.AWAIT_CONNECT) {
                violation("second CONNECT on one connection [MQTT-3.1.0-2]", ReasonCode.PROTOCOL_ERROR);
                return;
            }
            connectTimeout.cancel(false);
            connectTimeout = null; // held by nothing once cancelled: 80 bytes per idle connection
            ConnectHandler.handle(this, connect);
            return;
        }
        switch (packet.type()) {
            case PUBLISH -> PublishHandler.handle(this, (Publish) packet);
            case PUBACK -> AckHandlers.puback(this, (Puback) packet);
            case PUBREC -> AckHandlers.pubrec(this, (Pubrec) packet);
            case PUBREL -> AckHandlers.pubrel(this, (Pubrel) packet);
            case PUBCOMP -> AckHandlers.pubcomp(this, (Pubcomp) packet);
            case SUBSCRIBE -> SubscribeHandler.handle(this, (Subscribe) packet);
            case UNSUBSCRIBE -> UnsubscribeHandler.handle(this, (Unsubscribe) packet);
            case PINGREQ -> send(io.courtier.codec.Pingresp.INSTANCE);
            case DISCONNECT -> DisconnectHandler.handle(this, (Disconnect) packet);
            case AUTH -> violation("AUTH without an authentication method [MQTT-3.15.0-1]",
                    ReasonCode.PROTOCOL_ERROR);
            default -> violation(packet.type() + " is only sent by servers", ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** Called by {@link ConnectHandler} once the session is attached and CONNACK is sent. */
    void connected() {
        state = State.CONNECTED;
        scheduleCredentialsExpiry();
        long millis = KeepAlive.timeoutMillis(keepAlive);
        if (millis > 0) {
            keepAliveEntry = KeepAliveWheel.of(ctx.executor()).watch(this, millis);
        }
        List<MqttPacket> pending = new ArrayList<>(receivedWhileConnecting);
        receivedWhileConnecting.clear();
        for (MqttPacket p : pending) {
            try {
                dispatch(p);
            } finally {
                ReferenceCountUtil.release(p);
            }
        }
    }

    void setEncoderVersion(MqttVersion v) {
        this.version = v;
        MqttEncoder encoder = ctx.pipeline().get(MqttEncoder.class);
        if (encoder != null) {
            encoder.setVersion(v);
        }
    }

    /**
     * Called by the {@link KeepAliveWheel} when nothing came in for one and a half keep-alives;
     * returns false, and stays open, while reading is paused for back-pressure: that silence is
     * the broker's, not the client's.
     */
    boolean keepAliveExpired() {
        if (paused) {
            return false;
        }
        if (state == State.CONNECTED) {
            LOG.info("Client {} has exceeded timeout, disconnecting.", clientId);
            timedOut = true;
            closeWith(ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout");
        }
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Session s = session;
        if (s != null && ctx.channel().isWritable() && state == State.CONNECTED) {
            s.execute(s::drain);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                && !(cause instanceof MqttDecoderException) ? cause.getCause() : cause;
        if (root instanceof MqttDecoderException e) {
            rejectMalformed(e);
        } else if (root instanceof IOException) {
            LOG.debug("Socket error on client {}: {}", describe(), root.getMessage());
            ctx.close();
        } else {
            LOG.warn("Closing client {} after an internal error", describe(), root);
            ctx.close();
        }
    }

    private void rejectMalformed(MqttDecoderException e) {
        if (state == State.AWAIT_CONNECT) {
            MqttVersion v = ctx.pipeline().get(io.courtier.codec.MqttDecoder.class) != null
                    ? ctx.pipeline().get(io.courtier.codec.MqttDecoder.class).version() : null;
            if (e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // [MQTT-3.1.2-2]: answer CONNACK 0x01 in the 3.1.1 form the client can read, then close.
                refuseConnect(MqttVersion.V3_1_1, ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION, e.getMessage());
                return;
            }
            if (e.reasonCode() == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID && v != null) {
                refuseConnect(v, v.isV5() ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                        e.getMessage());
                return;
            }
            if (v != null && v.isV5()) {
                // A v5 server may answer a bad CONNECT with a CONNACK carrying the reason (MQTT 5.0 4.13.1).
                refuseConnect(v, connackCode(e.reasonCode()), e.getMessage());
                return;
            }
        }
        violation(e.getMessage(), e.reasonCode());
    }

    /** The CONNACK form of a decoder error: the codes CONNACK may carry, else "Protocol Error". */
    private static int connackCode(int code) {
        return switch (code) {
            case ReasonCode.MALFORMED_PACKET, ReasonCode.PROTOCOL_ERROR, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    ReasonCode.TOPIC_NAME_INVALID, ReasonCode.PACKET_TOO_LARGE, ReasonCode.QUOTA_EXCEEDED,
                    ReasonCode.PAYLOAD_FORMAT_INVALID, ReasonCode.RETAIN_NOT_SUPPORTED,
                    ReasonCode.QOS_NOT_SUPPORTED -> code;
            default -> ReasonCode.PROTOCOL_ERROR;
        };
    }

    /** Sends a refusing CONNACK and closes; the client never becomes connected. */
    void refuseConnect(MqttVersion v, int code, String why) {
        LOG.info("Refused connection from {} ({}): {}", address(), clientId == null ? "no client id" : clientId, why);
        sendRefusal(v, code, why);
    }

    /** A refused login, logged with Mosquitto's words (people grep for them), then our detail. */
    void refuseUnauthorised(MqttVersion v, int code, String why) {
        LOG.info("Client <unknown> disconnected, not authorised. ({} from {}: {})",
                clientId == null ? "no client id" : clientId, address(), why);
        sendRefusal(v, code, why);
    }

    /**
     * Too many logins are waiting to be checked: CONNACK 0x89 "server busy" for MQTT 5; MQTT
     * 3.1/3.1.1 have no such code (0x03 "server unavailable" would tell a client to try another
     * server), so the connection is closed, as the issue of a bounded login queue asks.
     */
    void refuseBusy(MqttVersion v, String why) {
        if (v.isV5()) {
            refuseConnect(v, io.courtier.codec.ReasonCode.SERVER_BUSY, why);
            return;
        }
        LOG.info("Refused connection from {} ({}): {}", address(), clientId == null ? "no client id" : clientId, why);
        state = State.CLOSED;
        ctx.close();
    }

    private void sendRefusal(MqttVersion v, int code, String why) {
        setEncoderVersion(v);
        state = State.CLOSED;
        Properties props = v.isV5() ? reasonString(why) : Properties.NONE;
        ctx.writeAndFlush(new Connack(false, code, props)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A Reason String property for an MQTT 5 response, or none: only when the client did not set
     * Request Problem Information to 0 [MQTT-3.1.2-29], and never past its Maximum Packet Size
     * (callers drop it when the packet would not fit [MQTT-3.1.2-25]).
     */
    Properties reasonString(String why) {
        if (!v5.requestProblemInformation || why == null) {
            return Properties.NONE;
        }
        return Properties.builder().add(io.courtier.codec.PropertyId.REASON_STRING, why).build();
    }

    /**
     * The client broke a rule: one log line naming it, its address and the rule, then DISCONNECT with the reason (v5)
     * or just a close (3.1/3.1.1). The will is published, as for any abnormal end.
     */
    void violation(String rule, int reasonCode) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        // Mosquitto's wording, so existing log filters keep working, plus the address and the rule.
        LOG.info("Client {} disconnected due to {} (from {}): {}", clientId != null ? clientId : "<unknown>",
                reasonCode == ReasonCode.MALFORMED_PACKET ? "malformed packet" : "protocol error", address(), rule);
        brokeProtocol = true;
        closeWith(reasonCode, rule);
    }

    /** DISCONNECT with a reason (and reason string if asked for) to a v5 client, then close. */
    private void closeWith(int reasonCode, String why) {
        if (state == State.CONNECTED && version != null && version.isV5()) {
            Disconnect d = new Disconnect(reasonCode, reasonString(why));
            if (!fits(d)) {
                d = new Disconnect(reasonCode, Properties.NONE);
            }
            state = State.CLOSING;
            broker.stats.messagesSent.increment();
            ctx.writeAndFlush(d).addListener(ChannelFutureListener.CLOSE);
        } else {
            // What this turn already wrote (a CONNACK, acknowledgements) goes out before the close.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The broker is closing: DISCONNECT 0x8B for v5 clients, a plain close for the others. */
    void serverShuttingDown() {
        if (state == State.CLOSED) {
            return;
        }
        will = null;
        closeWith(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    }

    /**
     * Dynamic security changed who this client is (disabled, deleted, new password or roles):
     * DISCONNECT 0x98 "Administrative action" for v5 clients, a close for the others, no will,
     * as Mosquitto's plugin kicks them. The client logs in again under the new rules.
     */
    void kickedByAdministrator() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        will = null;
        LOG.info("Client {} been disconnected by administrative action.", clientId); // Mosquitto's wording
        closeWith(ReasonCode.ADMINISTRATIVE_ACTION, "administrative action");
    }

    /** DISCONNECT received: a normal end, no will [MQTT-3.14.4-3]. */
    void disconnectedByClient() {
        disconnectReceived = true;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broker.connections.remove(this);
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (keepAliveEntry != null) {
            keepAliveEntry.cancel();
        }
        for (MqttPacket p : receivedWhileConnecting) {
            ReferenceCountUtil.release(p);
        }
        receivedWhileConnecting.clear();
        // What the client sent before it closed counts (a DISCONNECT among it means no will).
        for (MqttPacket held; heldWhilePaused != null && (held = heldWhilePaused.poll()) != null; ) {
            try {
                dispatch(held);
            } finally {
                ReferenceCountUtil.release(held);
            }
        }
        State was = state;
        state = State.CLOSED;
        if (credentialsExpiry != null) {
            credentialsExpiry.cancel(false);
        }
        if (was == State.CONNECTED || was == State.CLOSING) {
            ended();
            io.courtier.broker.security.chain.AuthChain chain = chain();
            if (chain != null) {
                chain.disconnected(new io.courtier.plugin.ClientInfo(clientId, username, address()));
            }
        }
        ctx.fireChannelInactive();
    }

    private void ended() {
        broker.sessions.clientDisconnected();
        if (disconnectReceived) {
            LOG.info("Client {} disconnected.", clientId);
        } else if (!timedOut && !takenOver && !brokeProtocol) { // those already said why in one line
            LOG.info("Client {} closed its connection.", clientId);
        }
        Will w = disconnectReceived || broker.shuttingDown ? null : will;
        will = null;
        if (takenOver) {
            // The new connection owns the session now. The will goes out at once unless the new
            // connection resumes the session within the will delay [MQTT-3.1.3-9].
            if (w != null && !(takenOverBySameSession && Wills.delaySeconds(w) > 0)) {
                publishWill(w);
            }
            return;
        }
        Session s = session;
        s.execute(() -> {
            s.detach(this);
            if (w != null) {
                long delay = Math.min(Wills.delaySeconds(w), s.expiryInterval());
                if (delay > 0) {
                    s.scheduleWill(delay, () -> publishWill(w));
                } else {
                    publishWill(w);
                }
            }
            SessionCleanup.detached(broker, s);
        });
    }

    private void publishWill(Will w) {
        io.courtier.broker.security.Authorizer a = authorizer();
        if (a.isAsync()) {
            Boolean now = a.decideNow(io.courtier.plugin.Access.WRITE, clientId, username, w.topic());
            if (now == null) { // a backend has to be asked: the will goes out when it answers
                a.decide(io.courtier.plugin.Access.WRITE, clientId, username, w.topic()).thenAccept(ok -> {
                    if (ok) {
                        ctx.executor().execute(() -> sendWill(w));
                    }
                });
                return;
            }
            if (now) {
                sendWill(w);
            }
            return;
        }
        if (!a.canPublish(clientId, username, w.topic())) {
            return;
        }
        sendWill(w);
    }

    private void sendWill(Will w) {
        Message m = Wills.message(w, clientId, maxQos()).publishedBy(username);
        try {
            broker.ingest.publishWill(m, ctx.executor());
        } finally {
            m.release();
        }
    }

    /** Records a resend of a held inbound QoS 2 id; false if it was already resent once. */
    boolean firstResendOfQos2(int packetId) {
        if (resentQos2 == null) {
            resentQos2 = new java.util.BitSet();
        }
        if (resentQos2.get(packetId)) {
            return false;
        }
        resentQos2.set(packetId);
        return true;
    }

    /** PUBREL ended the exchange: the id may be used, and resent, afresh. */
    void qos2Released(int packetId) {
        if (resentQos2 != null) {
            resentQos2.clear(packetId);
        }
    }

    // ---- ClientLink ----------------------------------------------------------------------

    @Override
    public void send(MqttPacket packet) {
        broker.stats.messagesSent.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug(PacketLog.sending(clientId, packet));
        }
        if (mountPoint != null && packet instanceof Publish p) {
            packet = mountPoint.outbound(p); // before the encoder picks a topic alias for it
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.writeAndFlush(packet, ctx.voidPromise());
            return;
        }
        ctx.write(packet, ctx.voidPromise());
        if (!ctx.channel().isWritable()) {
            // Past the high-water mark within one turn (publishers read in the same turn can
            // write megabytes to one fan-in subscriber): hand the socket what it takes now,
            // so the outbound buffer holds only what the client has not read yet.
            ctx.flush();
        } else if (!flushPending) {
            // One flush (one write syscall) for everything sent to this client in this turn of
            // its event loop: a read batch's acknowledgements, a burst of deliveries. Flushing
            // per packet cost more than a quarter of the broker's CPU in a 1 -> 50 fan-out.
            flushPending = true;
            if (flushTask == null) {
                flushTask = () -> {
                    flushPending = false;
                    ctx.flush();
                };
            }
            ctx.executor().execute(flushTask);
        }
    }

    /** Sends an acknowledgement, without its reason string if that would pass the client's Maximum Packet Size. */
    void sendAck(MqttPacket withReason, MqttPacket without) {
        if (withReason != without && !fits(withReason)) {
            send(without);
        } else {
            send(withReason);
        }
    }

    @Override
    public int receiveMaximum() {
        return v5.receiveMaximum;
    }

    @Override
    public boolean fits(MqttPacket packet) {
        long max = v5.maximumPacketSize;
        if (max == 0 || version == null) {
            return true;
        }
        // A topic alias may add 3 bytes when the encoder assigns one.
        long size = MqttEncoder.encodedSize(packet, version) + (v5.topicAliasMaximum > 0 ? 3 : 0);
        return size <= max;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /**
     * Bytes of QoS 0 PUBLISHes a connection may have waiting in its outbound buffer past the
     * writability mark before further QoS 0 messages go to the session's queue (and are dropped
     * once that is full). Mosquitto never drops QoS 0 for a connected client; this keeps its
     * behaviour for bursts while bounding the heap one stalled client can take.
     */
    static final long QOS0_OUTBOUND_LIMIT = 4L * 1024 * 1024;

    @Override
    public boolean acceptsQos0() {
        var channel = ctx.channel();
        if (channel.isWritable()) {
            return true;
        }
        var buffer = channel.unsafe().outboundBuffer();
        return buffer != null && buffer.totalPendingWriteBytes() < QOS0_OUTBOUND_LIMIT;
    }

    /** Half of what QoS 0 may add past writability: publishers pause before anything is dropped. */
    @Override
    public boolean isBackedUp() {
        var buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer != null && buffer.totalPendingWriteBytes() >= QOS0_OUTBOUND_LIMIT / 2;
    }

    @Override
    public void takeOver() {
        takeOver(false);
    }

    @Override
    public void takeOver(boolean sessionContinues) {
        Runnable close = () -> {
            takenOver = true;
            takenOverBySameSession = sessionContinues;
            LOG.info("Client {} already connected, closing old connection.", clientId);
            closeWith(ReasonCode.SESSION_TAKEN_OVER, "another connection took the client id over");
        };
        if (ctx.executor().inEventLoop()) {
            close.run();
        } else {
            ctx.executor().execute(close);
        }
    }

    @Override
    public io.courtier.broker.session.ConnectionInfo info() {
        String protocol = version == null ? "?" : version == MqttVersion.V3_1 ? "3.1"
                : version == MqttVersion.V3_1_1 ? "3.1.1" : "5";
        String transport = ctx.pipeline().get("ws") != null ? "websockets" : "tcp";
        return new io.courtier.broker.session.ConnectionInfo(address(), protocol, keepAlive, username, transport);
    }

    @Override
    public void disconnectByAdministrator() {
        if (state == State.CLOSED) {
            return;
        }
        LOG.info("Client {} disconnected by an administrator.", describe());
        closeWith(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
    }

    // ---- helpers -------------------------------------------------------------------------

    /**
     * The client's address as log lines, $SYS and the console show it: behind a PROXY protocol
     * listener the one the proxy reported, else the socket's peer.
     */
    String address() {
        return ProxiedClient.addressOf(ctx.channel());
    }

    /** What the PROXY protocol header said, or null on a listener without enable_proxy_protocol. */
    ProxiedClient proxied() {
        return ctx.channel().attr(ProxiedClient.KEY).get();
    }

    /** Topic aliases towards this MQTT 5 client from now on, assigned by its encoder. */
    void useOutboundTopicAliases(int maximum) {
        MqttEncoder encoder = ctx.pipeline().get(MqttEncoder.class);
        if (encoder != null) {
            encoder.useTopicAliases(maximum);
        }
    }

    private int localPort() {
        return ctx.channel().localAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    private String describe() {
        return (clientId != null ? clientId : "<unknown>") + " (" + address() + ")";
    }

    /** This connection's listener's ACL, as currently loaded (a reload swaps it in place). */
    io.courtier.broker.security.Authorizer authorizer() {
        io.courtier.broker.security.ListenerSecurity s = listenerSecurity;
        if (s == null) {
            s = listenerSecurity = broker.security(listener); // looked up once, not per PUBLISH
        }
        return s.authorizer();
    }

    /** max_qos for this connection's listener. */
    int maxQos() {
        return broker.maxQos(listener);
    }

    /** The listener's authentication chain when plugins or backends are configured, else null. */
    io.courtier.broker.security.chain.AuthChain chain() {
        authorizer(); // looks the listener's rules up once
        return listenerSecurity.authenticator() instanceof io.courtier.broker.security.chain.AuthChain chain
                ? chain : null;
    }

    /**
     * Credentials that expire (a JWT's {@code exp}): at that moment the client is disconnected,
     * MQTT 5 clients with DISCONNECT 0x87 "Not authorized". The clock starts once the client is
     * connected ({@link #connected}), so a token that expires during CONNECT still ends it.
     */
    void expireCredentialsAt(long epochMillis) {
        credentialsValidUntil = epochMillis;
    }

    private void scheduleCredentialsExpiry() {
        if (credentialsValidUntil <= 0) {
            return;
        }
        long delay = Math.max(0, credentialsValidUntil - System.currentTimeMillis());
        credentialsExpiry = ctx.executor().schedule(() -> {
            if (state == State.CONNECTED) {
                LOG.info("Client {} disconnected, its credentials expired.", clientId);
                closeWith(ReasonCode.NOT_AUTHORIZED, "credentials expired");
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    boolean isV5() {
        return version != null && version.isV5();
    }
}
