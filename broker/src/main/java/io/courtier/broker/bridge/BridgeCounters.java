package io.courtier.broker.bridge;

import java.util.concurrent.atomic.LongAdder;

/** What a bridge moved, for the console and /metrics; written on the bridge's loop, read anywhere. */
final class BridgeCounters {

    private final LongAdder forwarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder connections = new LongAdder();

    /** A QoS 1/2 message the remote broker acknowledged. */
    void forwarded() {
        forwarded.increment();
    }

    /** A message the remote broker sent us. */
    void received() {
        received.increment();
    }

    void connected() {
        connections.increment();
    }

    long forwardedCount() {
        return forwarded.sum();
    }

    long receivedCount() {
        return received.sum();
    }

    long connectionCount() {
        return connections.sum();
    }
}
