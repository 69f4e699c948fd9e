package io.courtier.broker.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writing HTTP responses with the headers every console reply carries. */
final class HttpReplies {
    private HttpReplies() {
    }

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    /** Sends a complete response, honouring keep-alive (and HEAD: headers only). */
    static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String contentType,
                              ByteBuf body) {
        boolean head = req.method().name().equals("HEAD");
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(res, body.readableBytes());
        if (head) {
            body.release();
        }
        return finish(ctx, req, res);
    }

    static ChannelFuture json(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String json) {
        return send(ctx, req, status, JSON, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }

    static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String message) {
        return json(ctx, req, status, new Json().beginObject().field("error", message).endObject().toString());
    }

    static ChannelFuture text(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String text) {
        return send(ctx, req, status, TEXT, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Common headers, keep-alive, and close after the write when the client asked for it. */
    static ChannelFuture finish(ChannelHandlerContext ctx, HttpRequest req, HttpResponse res) {
        securityHeaders(res);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    static void securityHeaders(HttpResponse res) {
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("X-Frame-Options", "DENY");
        res.headers().set("Referrer-Policy", "no-referrer");
    }
}
