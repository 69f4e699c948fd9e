package io.courtier.broker.protocol;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.security.Authorizer;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.security.chain.AuthChain;
import io.courtier.broker.session.Session;
import io.courtier.codec.Connect;
import io.courtier.codec.Disconnect;
import io.courtier.codec.MqttCodec;
import io.courtier.codec.MqttDecoderException;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Pingresp;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Unsubscribe;
import io.courtier.codec.Will;
import io.courtier.plugin.ClientInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection as a channel handler: its life cycle (active, read, inactive), the
 * dispatch of each packet to its own small handler ({@link ConnectHandler}, {@link PublishHandler},
 * ...) in the spirit of Mosquitto's handle_*.c files, and the state those handlers share. The
 * other jobs of a connection have their own classes: {@link ReadGate} (which packets wait),
 * {@link OutboundLink} (writing, the session's view), {@link Closing} and {@link Refusals} (ending
 * it with a reason), {@link ConnectionEnd} (what an end leaves behind: the will, the session).
 * Everything runs on the channel's event loop.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter {

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
    /** Mosquitto's try_private: the client said it is a bridge (protocol level 0x83/0x84). */
    boolean bridge;
    Will will;
    /** Run when this connection ends: takes it out of the cluster's client table (null on a single broker). */
    Runnable presenceEnd;
    /** The CONNECT's Clean Start (Clean Session) flag: the cluster's client table tells the other nodes. */
    boolean cleanStart;
    int keepAlive;
    Session session;
    /** MQTT 5 connection parameters; defaults are the standard's for an absent property. */
    final V5Options v5 = new V5Options();
    /** Which packets are handled now and which wait (CONNECT being checked, back-pressure, an ACL backend). */
    final ReadGate reading = new ReadGate(this);
    /** This connection as its session sees it: where packets are written. */
    final OutboundLink out = new OutboundLink(this);

    // Why it ended, for ConnectionEnd's log line and its decision on the will (more than one may be set).
    boolean disconnectReceived;
    boolean takenOver;
    boolean takenOverBySameSession;
    boolean timedOut;
    boolean brokeProtocol;

    /** Inbound QoS 2 ids resent once on this connection before their PUBREL; made on the first resend. */
    private BitSet resentQos2;
    private ScheduledFuture<?> connectTimeout;
    /** Set when the client's credentials (a JWT) expire; null when they do not. */
    private CredentialsExpiry credentialsExpiry;
    /** This connection on its loop's {@link KeepAliveWheel}, once connected with a keep-alive. */
    private KeepAliveWheel.Entry keepAliveEntry;
    private ListenerSecurity listenerSecurity;

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
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
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
        if (reading.holds(packet)) {
            return;
        }
        handle(packet);
    }

    /** Handles one packet, releases it, then stops reading if what it published found a target backed up. */
    void handle(MqttPacket packet) {
        try {
            dispatch(packet);
        } finally {
            ReferenceCountUtil.release(packet);
        }
        reading.pauseIfCongested();
    }

    /** Hands the packet to its handler; the caller releases it. */
    void dispatch(MqttPacket packet) {
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
            case PINGREQ -> send(Pingresp.INSTANCE);
            case DISCONNECT -> DisconnectHandler.handle(this, (Disconnect) packet);
            case AUTH -> violation("AUTH without an authentication method [MQTT-3.15.0-1]",
                    ReasonCode.PROTOCOL_ERROR);
            default -> violation(packet.type() + " is only sent by servers", ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** Called by {@link SessionOpener} once the session is attached and CONNACK is sent. */
    void connected() {
        state = State.CONNECTED;
        if (credentialsExpiry != null) {
            credentialsExpiry.start(this);
        }
        long millis = KeepAlive.timeoutMillis(keepAlive);
        if (millis > 0) {
            keepAliveEntry = KeepAliveWheel.of(ctx.executor()).watch(this, millis);
        }
        reading.replayPipelined();
    }

    /**
     * Called by the {@link KeepAliveWheel} when nothing came in for one and a half keep-alives;
     * returns false, and stays open, while reading is paused for back-pressure: that silence is
     * the broker's, not the client's.
     */
    boolean keepAliveExpired() {
        if (reading.isPaused()) {
            return false;
        }
        if (state == State.CONNECTED) {
            LOG.info("Client {} has exceeded timeout, disconnecting.", clientId);
            timedOut = true;
            Closing.closeWith(this, ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout");
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
        Throwable root = cause instanceof DecoderException && cause.getCause() != null
                && !(cause instanceof MqttDecoderException) ? cause.getCause() : cause;
        if (root instanceof MqttDecoderException e) {
            Refusals.rejectMalformed(this, e);
        } else if (root instanceof IOException) {
            LOG.debug("Socket error on client {}: {}", describe(), root.getMessage());
            ctx.close();
        } else {
            LOG.warn("Closing client {} after an internal error", describe(), root);
            ctx.close();
        }
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
        // What the client sent before it closed counts (a DISCONNECT among it means no will).
        reading.drainOnClose();
        State was = state;
        state = State.CLOSED;
        if (credentialsExpiry != null) {
            credentialsExpiry.cancel();
        }
        if (was == State.CONNECTED || was == State.CLOSING) {
            ConnectionEnd.ended(this);
            AuthChain chain = chain();
            if (chain != null) {
                chain.disconnected(new ClientInfo(clientId, username, address()));
            }
        }
        ctx.fireChannelInactive();
    }

    // ---- what the handlers share ----------------------------------------------------------

    /** Writes a packet to the client (see {@link OutboundLink#send}). */
    void send(MqttPacket packet) {
        out.send(packet);
    }

    /** The client broke a rule (see {@link Closing#violation}). */
    void violation(String rule, int reasonCode) {
        Closing.violation(this, rule, reasonCode);
    }

    boolean isV5() {
        return version != null && version.isV5();
    }

    void setEncoderVersion(MqttVersion v) {
        this.version = v;
        MqttCodec codec = codec();
        if (codec != null) {
            codec.encoder().setVersion(v);
        }
    }

    /** Topic aliases towards this MQTT 5 client from now on, assigned by its encoder. */
    void useOutboundTopicAliases(int maximum) {
        MqttCodec codec = codec();
        if (codec != null) {
            codec.encoder().useTopicAliases(maximum);
        }
    }

    /** This connection's decoder and encoder (one pipeline handler), or null in a pipeline without them. */
    MqttCodec codec() {
        return ctx.pipeline().get(MqttCodec.class);
    }

    /** Records a resend of a held inbound QoS 2 id; false if it was already resent once. */
    boolean firstResendOfQos2(int packetId) {
        if (resentQos2 == null) {
            resentQos2 = new BitSet();
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

    /**
     * Credentials that expire (a JWT's {@code exp}): the client is disconnected then. The clock
     * starts once the client is connected ({@link #connected}), so a token that expires during
     * CONNECT still ends it.
     */
    void expireCredentialsAt(long epochMillis) {
        credentialsExpiry = epochMillis > 0 ? new CredentialsExpiry(epochMillis) : null;
    }

    /**
     * The client's address as log lines, $SYS and the console show it: behind a PROXY protocol
     * listener the one the proxy reported, else the socket's peer.
     */
    String address() {
        return ProxiedClient.addressOf(ctx.channel());
    }

    /** What the PROXY protocol header said, or null on a listener without enable_proxy_protocol. */
    ProxiedClient proxied() {
        return ProxiedClient.of(ctx.channel());
    }

    private int localPort() {
        return ctx.channel().localAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    /** Client id and address, for log lines written before or without a client id. */
    String describe() {
        return (clientId != null ? clientId : "<unknown>") + " (" + address() + ")";
    }

    /** This connection's listener's ACL, as currently loaded (a reload swaps it in place). */
    Authorizer authorizer() {
        ListenerSecurity s = listenerSecurity;
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
    AuthChain chain() {
        authorizer(); // looks the listener's rules up once
        return listenerSecurity.authenticator() instanceof AuthChain chain ? chain : null;
    }
}
