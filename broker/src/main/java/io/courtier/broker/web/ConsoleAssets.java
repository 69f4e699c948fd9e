package io.courtier.broker.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console page's files, shipped in the jar. Only the files listed here exist: a URL is a
 * key in this table, never a path, so nothing else on the class path can be reached.
 */
final class ConsoleAssets {

    private static final String BASE = "/io/courtier/broker/web/console/";

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.css", "console.css",
            "/console.js", "console.js",
            "/favicon.svg", "favicon.svg",
            "/vendor/mqtt.min.js", "vendor/mqtt.min.js",
            "/vendor/mqtt.LICENSE.md", "vendor/mqtt.LICENSE.md");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** Serves the asset at a URL path; false if there is none. */
    boolean serve(ChannelHandlerContext ctx, HttpRequest req, String path) {
        String name = FILES.get(path);
        if (name == null) {
            return false;
        }
        byte[] bytes = cache.computeIfAbsent(name, ConsoleAssets::load);
        HttpReplies.send(ctx, req, HttpResponseStatus.OK, ContentTypes.of(name), Unpooled.wrappedBuffer(bytes));
        return true;
    }

    private static byte[] load(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("console asset missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
