package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log_dest syslog: lines reach a local syslog socket in the BSD format syslog(3) writes. */
class SyslogAppenderTest {

    @Test
    void linesArriveWithFacilityDaemonSeverityAndTag(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "Unix datagram sockets need Linux");
        Path socket = dir.resolve("log");
        List<String> received = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Channel syslogd = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        received.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        SyslogAppender appender = new SyslogAppender(socket.toString());
        appender.setContext(new LoggerContext());
        appender.start();
        try {
            LoggerContext ctx = new LoggerContext();
            appender.doAppend(new LoggingEvent("x", ctx.getLogger("courtier"), Level.INFO,
                    "New client connected from 127.0.0.1:5000 as s1 (p2, c1, k60).", null, null));
            appender.doAppend(new LoggingEvent("x", ctx.getLogger("courtier"), Level.ERROR, "Disk full", null, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            String pid = Long.toString(ProcessHandle.current().pid());
            // <29> = daemon (3) * 8 + notice (5); <27> = daemon * 8 + err (3).
            assertThat(received.get(0)).matches("<29>[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d courtier\\[" + pid
                    + "\\]: New client connected from 127\\.0\\.0\\.1:5000 as s1 \\(p2, c1, k60\\)\\.");
            assertThat(received.get(1)).startsWith("<27>").endsWith("courtier[" + pid + "]: Disk full");
        } finally {
            appender.stop();
            syslogd.close().sync();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
