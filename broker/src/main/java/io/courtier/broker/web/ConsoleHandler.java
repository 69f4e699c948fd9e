package io.courtier.broker.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on a {@code protocol http} listener: the console page, its JSON API and
 * {@code /metrics}. (WebSocket upgrades at /mqtt never reach this handler.)
 */
@ChannelHandler.Sharable
final class ConsoleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** Prometheus' text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ConsoleAssets assets;
    private final ConsoleApi api;
    private final BrokerMetrics metrics;
    private final ConsoleAuth auth;
    private final ConsoleHosts hosts;

    ConsoleHandler(ConsoleAssets assets, ConsoleApi api, BrokerMetrics metrics, ConsoleAuth auth, ConsoleHosts hosts) {
        this.assets = assets;
        this.api = api;
        this.metrics = metrics;
        this.auth = auth;
        this.hosts = hosts;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!hosts.allows(ctx.channel(), req)) {
            HttpReplies.text(ctx, req, HttpResponseStatus.MISDIRECTED_REQUEST,
                    "This console does not answer to the host name " + req.headers().get("Host")
                            + "; add it with console_host.\n");
            return;
        }
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(req.uri());
            uri.parameters(); // decode now, so a bad escape is a 400 here
        } catch (IllegalArgumentException e) {
            HttpReplies.text(ctx, req, HttpResponseStatus.BAD_REQUEST, "Bad request\n");
            return;
        }
        String path = uri.path();
        if (!path.equals("/metrics") && !path.startsWith("/api/")) {
            // The page's files hold no data: no login needed to load the login form.
            if (!(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))
                    || !assets.serve(ctx, req, path)) {
                HttpReplies.text(ctx, req, HttpResponseStatus.NOT_FOUND, "Not found\n");
            }
            return;
        }
        req.retain(); // the answer may come after a password check on another thread
        auth.identify(ctx, req, caller -> {
            try {
                if (caller.busy()) {
                    // The same bound as MQTT logins (LoginGate): try again shortly.
                    HttpReplies.error(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "too many logins waiting to be checked; try again");
                } else if (path.equals("/metrics")) {
                    metrics(ctx, req, caller);
                } else if (!auth.mayRead(caller)) {
                    // No WWW-Authenticate challenge: the page shows its own login form.
                    HttpReplies.error(ctx, req, HttpResponseStatus.UNAUTHORIZED,
                            "log in with a user of the password file");
                } else {
                    api.handle(ctx, req, uri, auth, caller);
                }
            } finally {
                req.release();
            }
        });
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest req, ConsoleAuth.Caller caller) {
        if (!auth.mayRead(caller)) {
            // Prometheus' basic_auth answers this challenge.
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                    Unpooled.copiedBuffer("Unauthorized\n", StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"courtier\", charset=\"UTF-8\"");
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpReplies.TEXT);
            HttpUtil.setContentLength(res, res.content().readableBytes());
            HttpReplies.finish(ctx, req, res);
            return;
        }
        HttpReplies.send(ctx, req, HttpResponseStatus.OK, PROMETHEUS_TEXT,
                Unpooled.copiedBuffer(metrics.scrape(), StandardCharsets.UTF_8));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("Console request from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
