package io.courtier.broker.web;

import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BridgeStatus;
import io.courtier.broker.sys.BrokerGauges;
import io.courtier.broker.sys.BrokerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The broker's Prometheus metrics. Nothing here runs per message: the protocol code keeps
 * incrementing its LongAdders ({@link BrokerStats}) and the meters below only read them when
 * Prometheus scrapes (FunctionCounters and Gauges), so the hot path stays as it was.
 */
public final class BrokerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public BrokerMetrics(String version, BrokerStats stats, BrokerGauges gauges, SessionRegistry sessions,
                         EventLoopGroup workers) {
        registry.config().commonTags(Tags.empty());
        Gauge.builder("courtier.info", () -> 1).tag("version", version)
                .description("Courtier's version, as a label").register(registry);

        gauge("courtier.clients.connected", gauges, g -> g.clientsConnected(), "Clients connected now");
        gauge("courtier.clients.disconnected", gauges, g -> g.clientsDisconnected(),
                "Persistent sessions whose client is offline");
        gauge("courtier.clients.maximum", gauges, g -> g.clientsMaximum(), "Most clients connected at once");
        counter("courtier.connections", stats.connections, "Successful CONNECTs");
        counter("courtier.sockets", stats.socketConnections, "Sockets accepted (TCP and WebSockets)");
        counter("courtier.clients.expired", stats.clientsExpired, "Persistent sessions expired");
        counter("courtier.logins.refused.busy", stats.loginsRefusedBusy,
                "Logins refused server busy: too many checks waiting for the listener or the address");

        for (int qos = 0; qos <= 2; qos++) {
            counter("courtier.messages.received", stats.publishReceivedByQos[qos], "PUBLISH packets received",
                    "qos", Integer.toString(qos));
            counter("courtier.messages.sent", stats.publishSentByQos[qos], "PUBLISH packets sent",
                    "qos", Integer.toString(qos));
        }
        counter("courtier.messages.dropped", stats.publishDropped,
                "Messages dropped: full queues, QoS 0 for offline clients");
        counter("courtier.messages.dropped.queue.memory", stats.droppedQueueMemory,
                "Messages dropped because all queues together reached max_queued_bytes_total");
        gauge("courtier.queued.bytes", stats, st -> st.queuedBytes.sum(),
                "Payload bytes queued across sessions (what max_queued_bytes_total bounds)");
        counter("courtier.packets.received", stats.messagesReceived, "MQTT packets received, every type");
        counter("courtier.packets.sent", stats.messagesSent, "MQTT packets sent, every type");
        counter("courtier.network.received.bytes", stats.bytesReceived, "Bytes read from sockets");
        counter("courtier.network.sent.bytes", stats.bytesSent, "Bytes written to sockets");
        counter("courtier.payload.received.bytes", stats.publishBytesReceived, "PUBLISH payload bytes received");
        counter("courtier.payload.sent.bytes", stats.publishBytesSent, "PUBLISH payload bytes sent");

        gauge("courtier.subscriptions", gauges, g -> g.subscriptionCount(), "Subscriptions");
        gauge("courtier.subscriptions.shared", gauges, g -> g.sharedSubscriptionCount(), "Shared subscriptions");
        gauge("courtier.retained.messages", gauges, g -> g.retainedCount(), "Retained messages");
        gauge("courtier.queued.messages", sessions, BrokerMetrics::queued,
                "Messages queued for delivery across sessions (behind the in-flight window)");
        gauge("courtier.inflight.messages", sessions, BrokerMetrics::inflight,
                "Messages sent at QoS 1/2 and not yet acknowledged, across sessions");

        Timer storeTimer = Timer.builder("courtier.store.latency")
                .description("Time for a durable store write (one synced batch) to complete")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        stats.storeLatency.setRecorder(nanos -> storeTimer.record(nanos, TimeUnit.NANOSECONDS));

        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        // Netty's buffers: the allocator channels use, and the pooled one if that is another.
        ByteBufAllocator channels = ByteBufAllocator.DEFAULT;
        if (channels instanceof ByteBufAllocatorMetricProvider p) {
            new NettyAllocatorMetrics(p).bindTo(registry);
        }
        if (channels != PooledByteBufAllocator.DEFAULT) {
            new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        }
        Gauge.builder("netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty has reserved (-1 when it does not track it)")
                .baseUnit("bytes").register(registry);
        if (workers != null) {
            new NettyEventExecutorMetrics(workers).bindTo(registry);
        }
    }

    /** The cluster's gauges and counters, once this broker joined one. */
    public void cluster(io.courtier.broker.cluster.Cluster cluster) {
        gauge("courtier.cluster.nodes", cluster, c -> c.nodes().size(), "Nodes in the cluster, as this node sees it");
        FunctionCounter.builder("courtier.cluster.messages.forwarded", cluster, c -> c.stats().forwarded())
                .description("Messages sent to other nodes (one per node a message went to)").register(registry);
        FunctionCounter.builder("courtier.cluster.messages.received", cluster, c -> c.stats().received())
                .description("Messages other nodes sent here").register(registry);
        FunctionCounter.builder("courtier.cluster.wills.published", cluster, c -> c.stats().wills())
                .description("Wills of a dead node's clients this node published").register(registry);
        FunctionCounter.builder("courtier.cluster.clients.taken.over", cluster, c -> c.stats().takenOver())
                .description("Clients here taken over by a connection to another node").register(registry);
    }

    /**
     * One set of series per bridge, labelled with its connection name: whether its link is up,
     * what its local session holds for the remote broker, and what it moved.
     */
    public void bridges(List<String> names, Supplier<List<BridgeStatus>> source) {
        for (String name : names) {
            Gauge.builder("courtier.bridge.connected", source, of(name, b -> b.connected() ? 1 : 0))
                    .tag("bridge", name).description("1 while the bridge's link to its remote broker is up")
                    .strongReference(true).register(registry);
            Gauge.builder("courtier.bridge.queued.messages", source, of(name, BridgeStatus::queued))
                    .tag("bridge", name).description("Messages queued for the remote broker")
                    .strongReference(true).register(registry);
            Gauge.builder("courtier.bridge.inflight.messages", source, of(name, BridgeStatus::inflight))
                    .tag("bridge", name).description("Messages sent to the remote broker, not yet acknowledged")
                    .strongReference(true).register(registry);
            FunctionCounter.builder("courtier.bridge.forwarded", source, of(name, BridgeStatus::forwarded))
                    .tag("bridge", name).description("QoS 1/2 messages the remote broker acknowledged")
                    .register(registry);
            FunctionCounter.builder("courtier.bridge.received", source, of(name, BridgeStatus::received))
                    .tag("bridge", name).description("Messages received from the remote broker").register(registry);
        }
    }

    /** One value of the bridge called {@code name}, read at each scrape. */
    private static ToDoubleFunction<Supplier<List<BridgeStatus>>> of(String name, ToDoubleFunction<BridgeStatus> f) {
        return s -> s.get().stream().filter(b -> b.name().equals(name)).mapToDouble(f).findFirst().orElse(Double.NaN);
    }

    private <T> void gauge(String name, T source, ToDoubleFunction<T> f, String description) {
        // Strong reference: the gauges object may have no other owner, and a weak one would read NaN.
        Gauge.builder(name, source, f).description(description).strongReference(true).register(registry);
    }

    private void counter(String name, LongAdder adder, String description, String... tags) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).tags(tags).register(registry);
    }

    private static double queued(SessionRegistry sessions) {
        long n = 0;
        for (Session s : sessions.all()) {
            n += s.queuedCount();
        }
        return n;
    }

    private static double inflight(SessionRegistry sessions) {
        long n = 0;
        for (Session s : sessions.all()) {
            n += s.inflightCount();
        }
        return n;
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** For tests and embedders that want to add their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
