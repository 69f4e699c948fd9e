package io.courtier.broker.web;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mosquitto's {@code http_dir}: a websockets listener serves the files under one directory to
 * plain GET requests. Nothing outside that directory is ever served — not through {@code ..},
 * encoded or not, nor through a symbolic link that leaves it.
 */
@ChannelHandler.Sharable
final class DirectoryFiles extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final Path root;

    DirectoryFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            HttpReplies.text(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed\n");
            return;
        }
        Path file = resolve(root, req.uri());
        if (file == null) {
            HttpReplies.text(ctx, req, HttpResponseStatus.NOT_FOUND, "Not found\n");
            return;
        }
        try {
            serve(ctx, req, file);
        } catch (IOException e) {
            LOG.debug("http_dir: cannot read {}: {}", file, e.getMessage());
            HttpReplies.text(ctx, req, HttpResponseStatus.NOT_FOUND, "Not found\n");
        }
    }

    /**
     * The regular file a request URI names under the root (a directory means its index.html),
     * or null if there is none or the path would leave the root.
     */
    static Path resolve(Path root, String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path(); // percent-decoded, query removed
        } catch (IllegalArgumentException e) {
            return null; // malformed escapes
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return null;
        }
        Path candidate = root;
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null; // never climb, even when it would stay inside
            }
            candidate = candidate.resolve(segment);
        }
        try {
            if (Files.isDirectory(candidate)) {
                candidate = candidate.resolve("index.html");
            }
            if (!Files.isRegularFile(candidate)) {
                return null;
            }
            // Symbolic links are followed only while they stay inside the root.
            Path real = candidate.toRealPath();
            return real.startsWith(root.toRealPath()) ? real : null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static void serve(ChannelHandlerContext ctx, FullHttpRequest req, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.getFileName().toString()));
        HttpUtil.setContentLength(res, length);
        HttpReplies.securityHeaders(res);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        ctx.write(res);
        var done = req.method().equals(HttpMethod.HEAD)
                ? ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                : ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(channel)));
        done.addListener(f -> channel.close());
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
