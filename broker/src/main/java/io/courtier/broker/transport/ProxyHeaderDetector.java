package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.List;

/**
 * The first bytes on an {@code enable_proxy_protocol} listener: from its first 12 bytes a PROXY
 * header is told from anything else (an MQTT CONNECT sent straight to the broker, say), so such
 * a connection is closed at once instead of waiting for a header that never comes. A header of
 * the configured version hands the bytes to Netty's {@link HAProxyMessageDecoder}.
 */
final class ProxyHeaderDetector extends ByteToMessageDecoder {

    private final ListenerConfig listener;

    ProxyHeaderDetector(ListenerConfig listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> result = HAProxyMessageDecoder.detectProtocol(in);
        switch (result.state()) {
            case NEEDS_MORE_DATA -> {
                // wait for the rest of the signature
            }
            case INVALID -> {
                in.skipBytes(in.readableBytes());
                ProxyHeaderHandler.reject(ctx, listener, "no PROXY protocol header");
            }
            case DETECTED -> {
                int version = result.detectedProtocol() == HAProxyProtocolVersion.V1 ? 1 : 2;
                if (version != listener.proxy().version()) {
                    in.skipBytes(in.readableBytes());
                    ProxyHeaderHandler.reject(ctx, listener, "PROXY protocol v" + version
                            + " header where enable_proxy_protocol is " + listener.proxy().version());
                    return;
                }
                // The buffered bytes go on to the decoder when this handler leaves the pipeline.
                ctx.pipeline().addAfter(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder());
                ctx.pipeline().remove(this);
            }
        }
    }
}
