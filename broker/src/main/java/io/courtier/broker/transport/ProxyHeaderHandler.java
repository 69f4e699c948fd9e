package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ProxyProtocol;
import io.courtier.broker.protocol.ProxiedClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol header in front of a connection on an {@code enable_proxy_protocol} listener
 * (HAProxy's PROXY protocol, versions 1 and 2). Until the header is read the rest of the pipeline
 * does not see the connection as active, so its first log line and everything after it (the
 * $SYS tree, the console, the ACL) know the client's real address, which it puts on the channel
 * as a {@link ProxiedClient}. From version 2's TLS fields it takes whether the client used TLS
 * and the common name of a certificate the proxy verified (mosquitto.conf(5),
 * enable_proxy_protocol). A missing, malformed or refused header closes the connection with one
 * log line; other connections are not touched.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final ListenerConfig listener;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean rejected;

    private ProxyHeaderHandler(ListenerConfig listener, long timeoutMillis) {
        this.listener = listener;
        this.timeoutMillis = timeoutMillis;
    }

    /** Puts the PROXY header handlers first in a listener's pipeline, when the listener wants them. */
    static void addTo(ChannelPipeline p, ListenerConfig listener, long timeoutMillis) {
        if (!listener.proxy().enabled()) {
            return;
        }
        p.addLast("proxy-detect", new ProxyHeaderDetector(listener));
        p.addLast("proxy-header", new ProxyHeaderHandler(listener, timeoutMillis));
    }

    /** Closes a connection whose header is missing or wrong, with its one log line. */
    static void reject(ChannelHandlerContext ctx, ListenerConfig listener, String why) {
        ProxyHeaderHandler h = ctx.pipeline().get(ProxyHeaderHandler.class);
        if (h != null) {
            if (h.rejected) {
                return;
            }
            h.rejected = true;
        }
        int port = ctx.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : listener.port();
        LOG.info("Connection from {} on port {} closed: {} (enable_proxy_protocol {}).",
                describe(ctx.channel().remoteAddress()), port, why, listener.proxy().version());
        ctx.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back until the header says who the client is.
        timeout = ctx.executor().schedule(() -> reject(ctx, listener,
                "no PROXY protocol header within " + timeoutMillis / 1000 + " s"), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            return; // bytes of a connection being closed
        }
        try {
            ProxiedClient client = read(header);
            String refusal = refusal(client, listener.proxy());
            if (refusal != null) {
                reject(ctx, listener, refusal);
                return;
            }
            timeout.cancel(false);
            ctx.channel().attr(ProxiedClient.KEY).set(client);
            if (LOG.isDebugEnabled()) {
                LOG.debug("PROXY v{} header from {}: client {}", listener.proxy().version(),
                        describe(ctx.channel().remoteAddress()), client);
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        } finally {
            header.release();
        }
    }

    /** Why the header does not let this client in, or null. */
    private static String refusal(ProxiedClient client, ProxyProtocol proxy) {
        if (proxy.requireTls() && !client.tls()) {
            return "the PROXY header says the client did not use TLS (proxy_protocol_v2_require_tls)";
        }
        if (proxy.requireCertificate() && !client.certificateVerified()) {
            return "the PROXY header carries no verified client certificate (require_certificate)";
        }
        return null;
    }

    /** The client as the header describes it. */
    static ProxiedClient read(HAProxyMessage header) {
        InetSocketAddress address = null;
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        boolean inet = family == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                || family == HAProxyProxiedProtocol.AddressFamily.AF_IPv6;
        // LOCAL (v2) and UNKNOWN (v1): the proxy's own connection, such as a health check.
        if (header.command() == HAProxyCommand.PROXY && inet && header.sourceAddress() != null) {
            try {
                // An address literal, checked by the decoder: no name lookup happens here.
                address = new InetSocketAddress(InetAddress.getByName(header.sourceAddress()), header.sourcePort());
            } catch (UnknownHostException e) {
                address = null;
            }
        }
        boolean tls = false;
        boolean verified = false;
        String commonName = null;
        for (HAProxyTLV tlv : header.tlvs()) {
            if (tlv instanceof HAProxySSLTLV ssl) {
                tls = ssl.isPP2ClientSSL();
                // verify is 0 when the proxy verified the certificate the client sent.
                verified = ssl.isPP2ClientSSL() && ssl.isPP2ClientCertConn() && ssl.verify() == 0;
                for (HAProxyTLV sub : ssl.encapsulatedTLVs()) {
                    if (sub.type() == HAProxyTLV.Type.PP2_TYPE_SSL_CN) {
                        commonName = sub.content().toString(StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return new ProxiedClient(address, tls, verified, verified ? commonName : null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ProxiedClient.of(ctx.channel()) == null) {
            // Netty's decoder found the header malformed (it closes the connection itself).
            reject(ctx, listener, "invalid PROXY protocol header: " + cause.getMessage());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        // The rest of the pipeline never saw this connection start, so it does not see it end.
    }

    private static String describe(Object address) {
        return address instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : String.valueOf(address);
    }
}
