package io.courtier.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's {@code max_connections}: sits on the server channel, sees each accepted socket
 * before it is registered, and closes it at once when the listener already holds the maximum
 * (Mosquitto does the same on accept). One instance per listener.
 */
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            LOG.info("Client connection from {} denied: max_connections exceeded.", child.remoteAddress());
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(f -> open.decrementAndGet());
        ctx.fireChannelRead(child);
    }
}
