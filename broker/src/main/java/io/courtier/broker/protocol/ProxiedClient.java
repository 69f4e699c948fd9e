package io.courtier.broker.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header said about the client behind a load balancer: its real address
 * (null for a v2 LOCAL command or an UNKNOWN v1 header: the proxy's own connection, such as a
 * health check) and, from v2's TLS fields, whether the client came over TLS, whether it sent a
 * certificate the proxy verified, and that certificate's common name. The transport reads the
 * header and sets it on the channel before the connection starts.
 */
public record ProxiedClient(InetSocketAddress address, boolean tls, boolean certificateVerified,
                            String certificateCommonName) {

    public static final AttributeKey<ProxiedClient> KEY = AttributeKey.valueOf("courtier.proxied-client");

    /**
     * What the PROXY header said on this channel, or null. Asks {@code hasAttr} first: {@code attr}
     * alone makes the attribute (and the channel's attribute table, 48 bytes) on every channel
     * it is asked of, though only a PROXY listener's channels ever set it.
     */
    public static ProxiedClient of(Channel channel) {
        return channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
    }

    /**
     * The client's address as {@code host:port} for log lines, $SYS and the console: the one a
     * PROXY header reported, else the socket's peer.
     */
    public static String addressOf(Channel channel) {
        ProxiedClient proxied = of(channel);
        Object remote = proxied != null && proxied.address() != null ? proxied.address() : channel.remoteAddress();
        if (remote instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return String.valueOf(remote);
    }

    /**
     * The client's IP address (the PROXY header's, else the socket peer's), or null when there is
     * none: what login bounds and back-off are counted per, so clients behind one load balancer
     * are not counted as one.
     */
    public static java.net.InetAddress inetAddressOf(Channel channel) {
        ProxiedClient proxied = of(channel);
        Object remote = proxied != null && proxied.address() != null ? proxied.address() : channel.remoteAddress();
        return remote instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
