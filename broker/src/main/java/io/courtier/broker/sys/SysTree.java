package io.courtier.broker.sys;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The {@code $SYS/broker/...} tree with Mosquitto's topic names and value formats. Each call to
 * {@link #publishChanged} hands over only the values that changed since the previous call (all
 * of them the first time); the broker publishes them retained. Called from one thread.
 */
public final class SysTree {

    private static final String PREFIX = "$SYS/broker/";
    private static final int[] WINDOWS = {1, 5, 15};

    private final String version;
    private final BrokerStats stats;
    private final BrokerGauges gauges;
    private final long startNanos;
    private final Map<String, String> lastPublished = new HashMap<>();
    private final Map<String, Load> loads = new LinkedHashMap<>();
    private long lastUpdateNanos;
    private long heapMaximum;
    /** More topics under $SYS/broker/ (the cluster's), read at each publication. */
    private java.util.function.Supplier<Map<String, Object>> more = Map::of;

    /** One counter's load averages over 1, 5 and 15 minutes. */
    private static final class Load {
        final LongSupplier counter;
        final LoadAverage[] averages = {new LoadAverage(1), new LoadAverage(5), new LoadAverage(15)};
        long last;

        Load(LongSupplier counter) {
            this.counter = counter;
            this.last = counter.getAsLong();
        }
    }

    public SysTree(String version, BrokerStats stats, BrokerGauges gauges, long startNanos) {
        this.version = version;
        this.stats = stats;
        this.gauges = gauges;
        this.startNanos = startNanos;
        this.lastUpdateNanos = startNanos;
        load("messages/received", stats.messagesReceived);
        load("messages/sent", stats.messagesSent);
        load("publish/received", stats.publishReceived);
        load("publish/sent", stats.publishSent);
        load("publish/dropped", stats.publishDropped);
        load("bytes/received", stats.bytesReceived);
        load("bytes/sent", stats.bytesSent);
        load("sockets", stats.socketConnections);
        load("connections", stats.connections);
    }

    private void load(String name, LongAdder counter) {
        loads.put(name, new Load(counter::sum));
    }

    /** Adds topics (relative to $SYS/broker/) computed at each publication, e.g. the cluster's. */
    public void also(java.util.function.Supplier<Map<String, Object>> values) {
        this.more = values;
    }

    /** Computes every topic and passes each changed (topic, value) pair to the publisher. */
    public void publishChanged(long nowNanos, BiConsumer<String, String> publisher) {
        Map<String, String> now = snapshot(nowNanos);
        for (Map.Entry<String, String> e : now.entrySet()) {
            String previous = lastPublished.put(e.getKey(), e.getValue());
            if (!e.getValue().equals(previous)) {
                publisher.accept(e.getKey(), e.getValue());
            }
        }
    }

    private Map<String, String> snapshot(long nowNanos) {
        Map<String, String> m = new LinkedHashMap<>();
        int connected = gauges.clientsConnected();
        int disconnected = gauges.clientsDisconnected();
        long stored = gauges.storedMessageCount(); // walks every session: once per snapshot
        put(m, "version", "courtier version " + version);
        put(m, "uptime", TimeUnit.NANOSECONDS.toSeconds(nowNanos - startNanos) + " seconds");
        put(m, "clients/total", connected + disconnected);
        put(m, "clients/maximum", gauges.clientsMaximum());
        put(m, "clients/inactive", disconnected);
        put(m, "clients/disconnected", disconnected);
        put(m, "clients/active", connected);
        put(m, "clients/connected", connected);
        put(m, "clients/expired", stats.clientsExpired.sum());
        // Not in Mosquitto: logins refused "server busy" by the bounded login queue (LoginGate).
        put(m, "logins/refused/busy", stats.loginsRefusedBusy.sum());
        // Not in Mosquitto: queued payload bytes of all sessions, and drops at max_queued_bytes_total.
        put(m, "queued/bytes", stats.queuedBytes.sum());
        put(m, "queued/dropped", stats.droppedQueueMemory.sum());
        put(m, "messages/stored", stored);
        put(m, "messages/received", stats.messagesReceived.sum());
        put(m, "messages/sent", stats.messagesSent.sum());
        put(m, "store/messages/count", stored);
        put(m, "store/messages/bytes", gauges.storedMessageBytes());
        put(m, "subscriptions/count", gauges.subscriptionCount());
        put(m, "shared_subscriptions/count", gauges.sharedSubscriptionCount());
        put(m, "retained messages/count", gauges.retainedCount());
        put(m, "publish/messages/dropped", stats.publishDropped.sum());
        put(m, "publish/messages/received", stats.publishReceived.sum());
        put(m, "publish/messages/sent", stats.publishSent.sum());
        put(m, "publish/bytes/received", stats.publishBytesReceived.sum());
        put(m, "publish/bytes/sent", stats.publishBytesSent.sum());
        put(m, "bytes/received", stats.bytesReceived.sum());
        put(m, "bytes/sent", stats.bytesSent.sum());
        // Mosquitto reports its own allocations here; the JVM's closest figure is the heap in use.
        Runtime rt = Runtime.getRuntime();
        long heapCurrent = rt.totalMemory() - rt.freeMemory();
        heapMaximum = Math.max(heapMaximum, heapCurrent);
        put(m, "heap/current", heapCurrent);
        put(m, "heap/maximum", heapMaximum);
        more.get().forEach((topic, value) -> put(m, topic, value));
        double elapsed = (nowNanos - lastUpdateNanos) / 1e9;
        lastUpdateNanos = nowNanos;
        for (Map.Entry<String, Load> e : loads.entrySet()) {
            Load load = e.getValue();
            long value = load.counter.getAsLong();
            for (int i = 0; i < WINDOWS.length; i++) {
                load.averages[i].update(value - load.last, elapsed);
                put(m, "load/" + e.getKey() + "/" + WINDOWS[i] + "min",
                        String.format(Locale.ROOT, "%.2f", load.averages[i].value()));
            }
            load.last = value;
        }
        return m;
    }

    private static void put(Map<String, String> m, String topic, Object value) {
        m.put(PREFIX + topic, String.valueOf(value));
    }
}
