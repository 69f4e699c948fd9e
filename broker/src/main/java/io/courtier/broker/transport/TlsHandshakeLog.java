package io.courtier.broker.transport;

import io.courtier.broker.protocol.ProxiedClient;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line for a failed TLS handshake (bad or missing client certificate, wrong version), or
 * for a socket closed before it began. (MqttConnection logs "New connection" only once the
 * handshake succeeded, so a dead TLS socket is this one line.)
 */
@ChannelHandler.Sharable
final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {

    static final TlsHandshakeLog INSTANCE = new TlsHandshakeLog();
    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                String from = ProxiedClient.addressOf(ctx.channel());
                Throwable cause = e.cause();
                if (cause instanceof ClosedChannelException) {
                    // A port scan or a health check: nothing failed, the peer just left.
                    LOG.info("Socket from {} closed before the TLS handshake.", from);
                } else {
                    LOG.info("TLS handshake with {} failed: {}", from,
                            cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
                }
                ctx.close();
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
