package io.courtier.broker.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What crossed between this node and its peers, for $SYS, the console and /metrics. */
final class ClusterCounters {
    /** Messages this node sent to peers (one per peer per message). */
    final LongAdder forwarded = new LongAdder();
    /** Messages peers sent to this node. */
    final LongAdder received = new LongAdder();
    /** Wills of a dead node's clients this node published. */
    final LongAdder willsPublished = new LongAdder();
    /** Clients taken over by a connection on another node. */
    final LongAdder takenOver = new LongAdder();
}
