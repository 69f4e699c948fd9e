package io.courtier.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /**
     * The process is out of descriptors (EMFILE, or the system's table: ENFILE): Mosquitto's
     * warning, once per try, and accepting pauses for a second before it tries again, as Netty's
     * acceptor would. Passed on, the error would reach the end of the server pipeline and be
     * logged with a stack trace every second for as long as the limit is reached.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!outOfDescriptors(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.warn("Unable to accept new connection, system socket count has been exceeded. "
                + "Try increasing \"ulimit -n\" or equivalent.");
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.executor().schedule(() -> config.setAutoRead(true), 1, TimeUnit.SECONDS);
        }
    }

    /** "Too many open files" (EMFILE) or "Too many open files in system" (ENFILE), from epoll or NIO. */
    static boolean outOfDescriptors(Throwable cause) {
        return cause instanceof IOException && String.valueOf(cause.getMessage()).contains("Too many open files");
    }
}
