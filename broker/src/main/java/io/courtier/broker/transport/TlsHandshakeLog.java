package io.courtier.broker.transport;

import io.courtier.broker.protocol.ProxiedClient;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line for a failed TLS handshake (bad or missing client certificate, wrong version). */
@ChannelHandler.Sharable
final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {

    static final TlsHandshakeLog INSTANCE = new TlsHandshakeLog();
    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                String from = ProxiedClient.addressOf(ctx.channel());
                LOG.info("TLS handshake with {} failed: {}", from, e.cause().getMessage());
                ctx.close();
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
