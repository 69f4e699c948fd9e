package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code log_dest syslog}: each line as a datagram to the local syslog socket ({@code /dev/log}),
 * in the traditional BSD format Mosquitto's syslog(3) calls produce: facility daemon, the tag
 * {@code courtier[PID]}, and the severity from the line's type. The JDK has no Unix datagram
 * sockets; Netty's native epoll transport, which ships with us for Linux, does. Where it is not
 * there (not Linux) or the socket is missing, lines go to stderr instead, after one warning.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    /** LOG_DAEMON, as Mosquitto opens its log. */
    private static final int FACILITY_DAEMON = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final String path;
    private final String tag = "courtier[" + ProcessHandle.current().pid() + "]";
    private EventLoopGroup group;
    private Channel channel;
    private volatile boolean failed;

    SyslogAppender(String path) {
        this.path = path;
    }

    @Override
    public void start() {
        if (!Epoll.isAvailable()) {
            System.err.println("Warning: log_dest syslog needs Linux (native epoll); logging to stderr instead.");
            failed = true;
        } else {
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            // Connected to the socket, as syslog(3) does: each write is then one datagram to it.
            ChannelFuture connected = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path))
                    .awaitUninterruptibly();
            if (connected.isSuccess()) {
                channel = connected.channel();
            } else {
                System.err.println("Warning: cannot open syslog at " + path + " (" + why(connected.cause())
                        + "); logging to stderr instead.");
                failed = true;
            }
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        if (failed) {
            System.err.println(text);
            return;
        }
        String line = "<" + (FACILITY_DAEMON * 8 + severity(event)) + ">" + STAMP.format(LocalDateTime.now())
                + " " + tag + ": " + text;
        ByteBuf bytes = Unpooled.copiedBuffer(line, StandardCharsets.UTF_8);
        channel.writeAndFlush(bytes).addListener(f -> {
            if (!f.isSuccess() && !failed) {
                failed = true;
                System.err.println("Warning: cannot write to syslog at " + path + " (" + why(f.cause())
                        + "); logging to stderr instead.");
                System.err.println(text);
            }
        });
    }

    private static String why(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** syslog severities: err 3, warning 4, notice 5, info 6, debug 7. */
    static int severity(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        if (level >= Level.ERROR_INT) {
            return 3;
        }
        if (level >= Level.WARN_INT) {
            return 4;
        }
        if (level >= Level.INFO_INT) {
            return "notice".equals(LogTypes.typesOf(event)[0]) ? 5 : 6;
        }
        return 7;
    }

    @Override
    public void stop() {
        super.stop();
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
