package io.courtier.cli.bench;

import io.courtier.client.ClientTls;
import io.courtier.client.TransportHandlers;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * How bench connections reach the broker: plain TCP, TLS, WebSocket, or WebSocket over TLS.
 * The handlers it adds sit below the MQTT codec, so the load clients are the same on all four.
 *
 * @param sslContext null for plain TCP
 * @param wsPath     the WebSocket path (e.g. {@code /mqtt}), or null for MQTT straight on the socket
 */
record BenchTransport(String host, int port, SslContext sslContext, String wsPath) {

    /** Plain TCP. */
    static BenchTransport tcp(String host, int port) {
        return new BenchTransport(host, port, null, null);
    }

    /**
     * @param tls      use TLS
     * @param caFile   PEM CA certificates to trust, or null for the JVM's default trust store
     * @param insecure do not check that the certificate names the host; with no CA file, trust any
     *                 certificate (a benchmark against a self-signed test broker)
     * @param wsPath   WebSocket path, or null
     */
    static BenchTransport of(String host, int port, boolean tls, File caFile, boolean insecure, String wsPath)
            throws SSLException {
        SslContext ssl = null;
        if (tls || caFile != null) {
            if (caFile == null && insecure) {
                ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            } else {
                try {
                    // The client library's TLS set-up, as courtier pub/sub use it: the chain is
                    // checked against the CA file (or the JVM's store), the name unless insecure.
                    ssl = ClientTls.context(caFile == null ? null : caFile.toPath(), null, null, null, null, insecure,
                            caFile == null);
                } catch (ClientTls.TlsConfigException e) {
                    throw new SSLException("TLS set-up: " + e.getMessage(), e);
                }
            }
        }
        return new BenchTransport(host, port, ssl, wsPath);
    }

    boolean isWebSocket() {
        return wsPath != null;
    }

    /** What this transport is, for the summary line: tcp, tls, ws or wss. */
    String scheme() {
        if (isWebSocket()) {
            return sslContext != null ? "wss" : "ws";
        }
        return sslContext != null ? "tls" : "tcp";
    }

    /** Adds the TLS and WebSocket handlers (the client library's); the MQTT codec goes after them. */
    void addTo(Channel ch) {
        String path = wsPath == null || wsPath.startsWith("/") ? wsPath : "/" + wsPath;
        TransportHandlers.add(ch.pipeline(), sslContext, host, port, path, 10_000);
    }
}
