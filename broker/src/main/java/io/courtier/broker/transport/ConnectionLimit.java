package io.courtier.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's {@code max_connections} and the broker's {@code global_max_connections}
 * (Mosquitto 2.1): sits on the server channel, sees each accepted socket before it is
 * registered, and closes it at once when a cap is already reached (Mosquitto does the same on
 * accept). One instance per listener; the global count is shared by every listener's.
 */
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /**
     * One cap: the directive that sets it, its maximum (read on each accept, so a reloaded value
     * applies to the next connection; 0 or less: none) and the sockets it counts.
     */
    record Cap(String directive, IntSupplier max, AtomicInteger open) {
    }

    private final List<Cap> caps;
    /** Counts a closed socket out; one listener for every socket (a lambda per socket is 16 bytes each). */
    private final ChannelFutureListener release;

    ConnectionLimit(List<Cap> caps) {
        this.caps = List.copyOf(caps);
        List<Cap> counted = this.caps;
        this.release = f -> counted.forEach(c -> c.open().decrementAndGet());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        for (int i = 0; i < caps.size(); i++) {
            Cap cap = caps.get(i);
            int max = cap.max().getAsInt();
            if (cap.open().incrementAndGet() > max && max > 0) {
                for (int j = 0; j <= i; j++) {
                    caps.get(j).open().decrementAndGet();
                }
                LOG.info("Client connection from {} denied: {} exceeded.", child.remoteAddress(), cap.directive());
                child.unsafe().closeForcibly();
                return;
            }
        }
        child.closeFuture().addListener(release);
        ctx.fireChannelRead(child);
    }
}
