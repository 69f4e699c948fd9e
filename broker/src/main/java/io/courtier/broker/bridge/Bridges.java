package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.session.Session;
import io.courtier.broker.sys.BridgeStatus;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured bridges (mosquitto.conf's {@code connection} blocks), started once the broker's
 * state is restored and closed with it. As in Mosquitto, a reload (SIGHUP) does not change them.
 */
public final class Bridges implements AutoCloseable {

    private final List<Bridge> bridges;

    private Bridges(List<Bridge> bridges) {
        this.bridges = bridges;
    }

    /**
     * Opens each bridge's local session (found restored, or new) on one of {@code loops}, then
     * starts connecting. A TLS file that cannot be used stops start-up (IllegalStateException).
     */
    public static Bridges start(List<BridgeConfig> configs, BrokerContext broker, EventLoopGroup loops) {
        List<Bridge> list = new ArrayList<>();
        for (BridgeConfig c : configs) {
            Session session = LocalSession.open(c, broker, loops.next());
            list.add(new Bridge(c, broker, session));
        }
        list.forEach(Bridge::start);
        return new Bridges(List.copyOf(list));
    }

    /**
     * {@code --test-config}: a bridge's TLS files load as start-up would load them; else an
     * IllegalStateException naming the bridge's {@code FILE:LINE}.
     */
    public static void checkTls(BridgeConfig config) {
        Bridge.tls(config);
    }

    /** What the console and /metrics show of each bridge. */
    public List<BridgeStatus> status() {
        List<BridgeStatus> out = new ArrayList<>();
        for (Bridge b : bridges) {
            Session s = b.session();
            String addresses = String.join(" ", b.config().addresses().stream().map(Object::toString).toList());
            out.add(new BridgeStatus(b.name(), b.config().remoteClientId(), b.config().localClientId(), addresses,
                    b.isUp(), s.queuedCount(), s.inflightCount(), b.counters().forwardedCount(),
                    b.counters().receivedCount(), b.counters().connectionCount()));
        }
        return out;
    }

    /** Says goodbye to each remote broker, waiting up to two seconds for all of them. */
    @Override
    public void close() {
        java.util.concurrent.CompletableFuture<?>[] closing = bridges.stream().map(Bridge::close)
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        try {
            java.util.concurrent.CompletableFuture.allOf(closing).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // closing anyway: the remote brokers see the connections drop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
