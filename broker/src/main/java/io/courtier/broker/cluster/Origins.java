package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-wide message ids ("NODE:SEQ"), given by the node that accepted a message the first
 * time it leaves for a peer or a parked session's queue, so that a queue reached by two paths
 * keeps it once ({@link ParkedQueue}). Node names are unique in a cluster, and the sequence is
 * a clock of this node's ({@link #tick}) that never goes back, not even across a restart (a
 * parked queue kept on disk outlives the process), so no two messages share one.
 */
final class Origins {

    private static final AtomicLong SEQ = new AtomicLong();

    private Origins() {
    }

    /** The message's origin, given now (as this node's) if it has none yet. */
    static String of(String node, Message m) {
        String o = m.clusterOrigin();
        return o != null ? o : m.clusterOrigin(node + ':' + tick());
    }

    /**
     * The next value of this node's clock: the wall clock in microseconds, or one more than the
     * last value if that is not behind it, so values grow for ever and roughly follow time across
     * nodes (a parked queue restored from several nodes' disks is merged in this order).
     */
    static long tick() {
        long now = System.currentTimeMillis() * 1000;
        while (true) { // a CAS loop rather than updateAndGet: no lambda per message
            long last = SEQ.get();
            long next = Math.max(last + 1, now);
            if (SEQ.compareAndSet(last, next)) {
                return next;
            }
        }
    }

    /** A fresh id of this node's (a take of a parked queue). */
    static String next(String node) {
        return node + ':' + tick();
    }
}
