package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wills of a dead node's clients that carry an MQTT 5 Will Delay Interval, held by the node that
 * publishes them (the oldest one left) until their delay has passed, as one broker holds a will
 * after a lost connection (MQTT 5.0 3.1.3.2.2): the client connecting again anywhere in the
 * cluster to resume its session within the delay cancels its will [MQTT-3.1.3-9]; connecting with
 * Clean Start ends that session, which sends the will at once.
 */
final class DelayedWills {

    private final ScheduledExecutorService scheduler;
    private final ClusterBroker broker;
    private final ClusterCounters counters;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** A will waiting for its delay: {@code publish} sends it, {@code discard} lets it go unsent. */
    private record Pending(Runnable publish, Runnable discard, ScheduledFuture<?>[] task) {
    }

    DelayedWills(ScheduledExecutorService scheduler, ClusterBroker broker, ClusterCounters counters) {
        this.scheduler = scheduler;
        this.broker = broker;
        this.counters = counters;
    }

    /** Publishes a dead node's client's {@code will} (taking it over) after {@code delaySeconds}, unless its client comes back. */
    void schedule(String clientId, Message will, long delaySeconds) {
        wait(clientId, () -> publish(will), will::release, TimeUnit.SECONDS.toMillis(delaySeconds), null);
    }

    /**
     * The delayed will of a session this node parked (its client went offline here): sent by
     * {@code publish} after {@code delayMillis}, unless the client connects again anywhere first.
     * {@code connectedNow} is asked when the delay is over, on this scheduler's thread: a client
     * that reconnected while the session was being parked, before this will was held, is
     * connected then, and its will is not sent.
     */
    void hold(String clientId, long delayMillis, Runnable publish, java.util.function.Predicate<String> connectedNow) {
        wait(clientId, publish, () -> { }, delayMillis, connectedNow);
    }

    private void wait(String clientId, Runnable publish, Runnable discard, long delayMillis,
                      java.util.function.Predicate<String> connectedNow) {
        Pending p = new Pending(publish, discard, new ScheduledFuture<?>[1]);
        Pending old = pending.put(clientId, p);
        if (old != null) {
            cancel(old);
        }
        p.task()[0] = scheduler.schedule(() -> {
            if (!pending.remove(clientId, p)) {
                return;
            }
            if (connectedNow != null && connectedNow.test(clientId)) {
                p.discard().run();
            } else {
                p.publish().run();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The client connected to a node: a resumed session cancels its delayed will, a clean start sends it now. */
    void reconnected(String clientId, boolean cleanStart) {
        Pending p = pending.remove(clientId);
        if (p == null) {
            return;
        }
        if (cleanStart) {
            p.task()[0].cancel(false);
            p.publish().run();
        } else {
            cancel(p);
        }
    }

    int size() {
        return pending.size();
    }

    private void publish(Message will) {
        try {
            broker.publishWill(will);
            counters.willsPublished.increment();
        } finally {
            will.release();
        }
    }

    private static void cancel(Pending p) {
        p.task()[0].cancel(false);
        p.discard().run();
    }
}
