package io.courtier.cli.bench;

import io.courtier.broker.transport.EventLoops;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttVersion;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Plan} against a broker: subscribers first, then publishers, a progress line
 * every second, a drain until every expected message is in (or nothing moves for a while), then
 * one summary line a script can read. Bounded in time: the run stops at its duration or count.
 */
final class BenchRun implements AutoCloseable {

    private final BenchSettings settings;
    private final PrintStream out;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Tally.Totals totals = new Tally.Totals();
    private final List<LoadClient> publishers = new ArrayList<>();
    private final List<LoadClient> subscribers = new ArrayList<>();
    private final List<Tally> tallies = new ArrayList<>();
    private final Histogram latency = new Histogram(Tally.Totals.MAX_LATENCY_NANOS, 3);

    BenchRun(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        // One thread per core: the generator must not be the bottleneck it measures.
        this.group = EventLoops.group(Runtime.getRuntime().availableProcessors());
        this.bootstrap = new Bootstrap().group(group).channel(EventLoops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Opens one connection; the future completes at CONNACK. */
    CompletableFuture<LoadClient> open(String clientId, Tally tally) {
        return open(clientId, tally, null);
    }

    /** Opens one connection from {@code source} (null: the kernel's choice); the future completes at CONNACK. */
    CompletableFuture<LoadClient> open(String clientId, Tally tally, InetSocketAddress source) {
        return open(clientId, tally, source, settings.port());
    }

    /** Opens one connection to {@code port} of the host (a cluster node); the future completes at CONNACK. */
    CompletableFuture<LoadClient> open(String clientId, Tally tally, InetSocketAddress source, int port) {
        BenchTransport transport = settings.transport();
        LoadClient client = new LoadClient(clientId, tally, totals, transport.isWebSocket(), settings.username(),
                settings.password());
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                transport.addTo(ch);
                ch.pipeline().addLast(new MqttDecoder(0, MqttVersion.V3_1_1), new MqttEncoder(MqttVersion.V3_1_1),
                        client);
            }
        });
        ChannelFuture connecting = source == null ? b.connect(transport.host(), port)
                : b.connect(new InetSocketAddress(transport.host(), port), source);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                client.connected.completeExceptionally(f.cause());
            }
        });
        return client.connected;
    }

    /** Runs the plan and prints the progress lines and the summary; returns 0, or 1 if anything was lost. */
    int run(Plan plan) throws Exception {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        int publisherCount = Math.max(plan.publishers(), plan.name().equals("sub") ? 1024 : 0);
        for (int i = 0; i < plan.subscribers(); i++) {
            Tally tally = new Tally(publisherCount, totals);
            LoadClient c = open("bench-" + run + "-s" + i, tally, null, settings.subscriberPort())
                    .get(10, TimeUnit.SECONDS);
            c.subscribe(plan.subscribeFilter().apply(i), settings.qos());
            c.subscribed.get(10, TimeUnit.SECONDS);
            subscribers.add(c);
            tallies.add(tally);
        }
        if (settings.crossesNodes() && plan.subscribers() > 0) {
            // A cluster's other nodes learn a subscription a moment after SUBACK (README, "Cluster").
            Thread.sleep(1000);
        }
        for (int i = 0; i < plan.publishers(); i++) {
            publishers.add(open("bench-" + run + "-p" + i, null, null, settings.publisherPort(i))
                    .get(10, TimeUnit.SECONDS));
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long limit = settings.count() > 0 ? settings.count() : Long.MAX_VALUE;
        double perPublisherRate = settings.rate() / Math.max(1, plan.publishers());
        for (int i = 0; i < publishers.size(); i++) {
            PublishTemplate t = new PublishTemplate(plan.publishTopic().apply(i), settings.qos(), settings.size(), i,
                    MqttVersion.V3_1_1);
            publishers.get(i).startPublishing(t, settings.window(), limit, perPublisherRate);
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(settings.duration());
        Progress progress = new Progress(out, totals, start);
        long warmupEnd = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
        boolean warmedUp = settings.warmupSeconds() == 0;
        while (System.nanoTime() < deadline && !allPublished(limit)) {
            progress.sleepAndPrint(latency);
            if (!warmedUp && System.nanoTime() >= warmupEnd) {
                latency.reset(); // percentiles from here on: the warm-up seconds still show in the progress lines
                warmedUp = true;
            }
        }
        publishers.forEach(LoadClient::stopPublishing);
        long publishEnd = System.nanoTime();
        long expected = drain(plan, progress);
        long end = System.nanoTime();
        long cpu = processCpuNanos() - cpuStart;
        return summarize(plan, expected, publishEnd - start, end - start, cpu);
    }

    private boolean allPublished(long limit) {
        if (publishers.isEmpty() || limit == Long.MAX_VALUE) {
            return false;
        }
        for (LoadClient p : publishers) {
            if (p.published() < limit) {
                return false;
            }
        }
        return true;
    }

    /** Waits for acknowledgements and deliveries to settle; returns the number of deliveries expected. */
    private long drain(Plan plan, Progress progress) throws InterruptedException {
        long idleSince = System.nanoTime();
        long last = -1;
        long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainSeconds());
        while (System.nanoTime() < hardStop) {
            long expected = expected(plan);
            long now = totals.received.sum() + totals.acked.sum();
            boolean acksDone = settings.qos() == 0 || totals.acked.sum() >= totals.sent.sum();
            if (acksDone && (plan.subscribers() == 0 || plan.publishers() == 0 || received() >= expected)) {
                return expected;
            }
            if (now != last) {
                last = now;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(3)) {
                break; // nothing moved for 3 s: what has not arrived is lost
            }
            progress.sleepAndPrint(latency);
        }
        return expected(plan);
    }

    private long expected(Plan plan) {
        long total = 0;
        for (int p = 0; p < publishers.size(); p++) {
            LoadClient pub = publishers.get(p);
            long accepted = settings.qos() == 0 ? pub.published() : pub.acked();
            for (int s = 0; s < subscribers.size(); s++) {
                if (plan.routes().reaches(p, s)) {
                    total += accepted;
                }
            }
        }
        return total;
    }

    private long received() {
        return totals.received.sum();
    }

    private int summarize(Plan plan, long expected, long publishNanos, long totalNanos, long cpuNanos) {
        latency.add(totals.latency.getIntervalHistogram());
        long received = received();
        long duplicates = totals.duplicates.sum();
        long lost = plan.publishers() > 0 && plan.subscribers() > 0 ? Math.max(0, expected - received) : 0;
        double publishSeconds = publishNanos / 1e9;
        out.println(String.format(Locale.ROOT,
                "RESULT scenario=%s qos=%d publishers=%d subscribers=%d size=%d sent=%d acked=%d expected=%d "
                        + "received=%d lost=%d duplicates=%d seconds=%.2f out_rate=%.0f in_rate=%.0f "
                        + "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f gen_cpu_s=%.2f transport=%s warmup_s=%d",
                plan.name(), settings.qos(), plan.publishers(), plan.subscribers(), settings.size(),
                totals.sent.sum(), totals.acked.sum(), expected, received, lost, duplicates, totalNanos / 1e9,
                totals.sent.sum() / publishSeconds, received / (totalNanos / 1e9),
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(99)),
                millis(latency.getMaxValue()), cpuNanos / 1e9,
                settings.transport().scheme(), settings.warmupSeconds()));
        out.flush();
        return lost > 0 || duplicates > 0 && settings.qos() == 2 ? 1 : 0;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    @Override
    public void close() {
        for (LoadClient c : publishers) {
            c.channel().close();
        }
        for (LoadClient c : subscribers) {
            c.channel().close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
