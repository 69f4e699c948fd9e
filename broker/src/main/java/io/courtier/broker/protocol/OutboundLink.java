package io.courtier.broker.protocol;

import io.courtier.broker.session.ClientLink;
import io.courtier.broker.session.ConnectionInfo;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Publish;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * A connection as its session sees it ({@link ClientLink}): where packets are written, with one
 * flush per turn of the event loop, and how much more the socket takes (writability, the QoS 0
 * bound, the client's Maximum Packet Size and Receive Maximum). It is the session's only handle
 * on the connection, so a session never reaches into the channel handler's state.
 */
final class OutboundLink implements ClientLink, Runnable {

    private final MqttConnection c;
    /** A flush ({@link #run}) is queued on the loop for what {@link #send} wrote. */
    private boolean flushPending;

    OutboundLink(MqttConnection c) {
        this.c = c;
    }

    @Override
    public void send(MqttPacket packet) {
        c.broker.stats.messagesSent.increment();
        if (MqttConnection.LOG.isDebugEnabled()) {
            MqttConnection.LOG.debug(PacketLog.sending(c.clientId, packet));
        }
        if (c.mountPoint != null && packet instanceof Publish p) {
            packet = c.mountPoint.outbound(p); // before the encoder picks a topic alias for it
        }
        ChannelHandlerContext ctx = c.ctx;
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
            ctx.executor().execute(this);
        }
    }

    /**
     * The flush {@link #send} queued, run later in the same turn of the loop. This link is its
     * own task rather than holding a lambda: one object fewer on every connection.
     */
    @Override
    public void run() {
        flushPending = false;
        c.ctx.flush();
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
        return c.v5.receiveMaximum;
    }

    @Override
    public boolean fits(MqttPacket packet) {
        long max = c.v5.maximumPacketSize;
        if (max == 0 || c.version == null) {
            return true;
        }
        // A topic alias may add 3 bytes when the encoder assigns one.
        long size = MqttEncoder.encodedSize(packet, c.version) + (c.v5.topicAliasMaximum > 0 ? 3 : 0);
        return size <= max;
    }

    @Override
    public boolean isWritable() {
        return c.ctx.channel().isWritable();
    }

    /**
     * Past writability a connection still takes QoS 0 PUBLISHes up to the tunable
     * {@code qos0OutboundBytes} waiting in its outbound buffer; then further ones go to the
     * session's queue (and are dropped once that is full). Mosquitto never drops QoS 0 for a
     * connected client; this keeps its behaviour for bursts while bounding the heap one stalled
     * client can take.
     */
    @Override
    public boolean acceptsQos0() {
        Channel channel = c.ctx.channel();
        if (channel.isWritable()) {
            return true;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer != null && buffer.totalPendingWriteBytes() < c.broker.tunables.qos0OutboundBytes();
    }

    /** Half of what QoS 0 may add past writability: publishers pause before anything is dropped. */
    @Override
    public boolean isBackedUp() {
        ChannelOutboundBuffer buffer = c.ctx.channel().unsafe().outboundBuffer();
        return buffer != null && buffer.totalPendingWriteBytes() >= c.broker.tunables.qos0OutboundBytes() / 2;
    }

    @Override
    public void takeOver() {
        takeOver(false);
    }

    @Override
    public void takeOver(boolean sessionContinues) {
        Closing.takenOver(c, sessionContinues);
    }

    @Override
    public ConnectionInfo info() {
        MqttVersion v = c.version;
        String protocol = v == null ? "?" : v == MqttVersion.V3_1 ? "3.1" : v == MqttVersion.V3_1_1 ? "3.1.1" : "5";
        String transport = c.ctx.pipeline().get("ws") != null ? "websockets" : "tcp";
        return new ConnectionInfo(c.address(), protocol, c.keepAlive, c.username, transport);
    }

    @Override
    public void disconnectByAdministrator() {
        Closing.byAdministrator(c);
    }
}
