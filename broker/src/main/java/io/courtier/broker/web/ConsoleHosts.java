package io.courtier.broker.web;

import io.courtier.broker.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The names the console answers to, from the request's {@code Host} header. A page on another
 * site that gets its own name resolved to 127.0.0.1 (DNS rebinding) would otherwise read the
 * console as if it were same-origin; its requests carry that other name, so they are refused.
 * Allowed: the address the request came in on (as an IP literal), {@code localhost} when that
 * address is a loopback one, the listener's configured bind address, and every {@code console_host}.
 * Nothing here resolves a name.
 */
final class ConsoleHosts {

    private final Set<String> configured;
    private final String bindAddress;

    ConsoleHosts(ListenerConfig listener, Set<String> consoleHosts) {
        this.configured = consoleHosts;
        this.bindAddress = listener.bindAddress() == null ? null : listener.bindAddress().toLowerCase(Locale.ROOT);
    }

    boolean allows(Channel channel, HttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.HOST);
        if (header == null) {
            return false; // HTTP/1.1 requires it; every browser and curl send it
        }
        String host = hostPart(header.strip().toLowerCase(Locale.ROOT));
        if (host.isEmpty()) {
            return false;
        }
        if (configured.contains(host) || host.equals(bindAddress) || unbracketed(host).equals(bindAddress)) {
            return true;
        }
        if (!(channel.localAddress() instanceof InetSocketAddress local)) {
            return false;
        }
        if (host.equals("localhost")) {
            return local.getAddress().isLoopbackAddress();
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(unbracketed(host));
        return literal != null && Arrays.equals(literal, local.getAddress().getAddress());
    }

    /** "name:port" to "name", "[v6]:port" to "[v6]". */
    private static String hostPart(String header) {
        if (header.startsWith("[")) {
            int close = header.indexOf(']');
            return close < 0 ? "" : header.substring(0, close + 1);
        }
        int colon = header.indexOf(':');
        return colon < 0 ? header : header.substring(0, colon);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
