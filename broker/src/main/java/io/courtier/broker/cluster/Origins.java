package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-wide message ids ("NODE:SEQ"), given by the node that accepted a message the first
 * time it leaves for a peer or a parked session's queue, so that a queue reached by two paths
 * keeps it once ({@link ParkedQueue}). Node names are unique in a cluster, and the sequence is
 * this process's, so no two messages share one.
 */
final class Origins {

    private static final AtomicLong SEQ = new AtomicLong();

    private Origins() {
    }

    /** The message's origin, given now (as this node's) if it has none yet. */
    static String of(String node, Message m) {
        String o = m.clusterOrigin();
        return o != null ? o : m.clusterOrigin(node + ':' + SEQ.incrementAndGet());
    }

    /** A fresh id of this node's (a take of a parked queue). */
    static String next(String node) {
        return node + ':' + SEQ.incrementAndGet();
    }
}
