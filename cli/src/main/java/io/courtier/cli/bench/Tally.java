package io.courtier.cli.bench;

import io.netty.buffer.ByteBuf;
import java.util.BitSet;
import org.HdrHistogram.Recorder;

/**
 * What one subscriber received: distinct sequence numbers per publisher (so loss and
 * duplicates are counted, never hidden) and latency. Touched only by its connection's event
 * loop, except the shared latency recorder and the totals read by the progress line.
 */
final class Tally {
    private final BitSet[] seen;
    private final Totals totals;
    private long distinct;
    private long duplicates;

    Tally(int publishers, Totals totals) {
        this.seen = new BitSet[publishers];
        this.totals = totals;
    }

    void record(ByteBuf payload, long nowNanos) {
        if (payload.readableBytes() < Payload.HEADER) {
            return; // not one of ours (a retained leftover, say)
        }
        int publisher = Payload.publisher(payload);
        long sequence = Payload.sequence(payload);
        if (publisher < 0 || publisher >= seen.length || sequence < 0 || sequence > Integer.MAX_VALUE) {
            return;
        }
        BitSet bits = seen[publisher];
        if (bits == null) {
            bits = seen[publisher] = new BitSet();
        }
        if (bits.get((int) sequence)) {
            duplicates++;
            totals.duplicates.increment();
            return;
        }
        bits.set((int) sequence);
        distinct++;
        totals.received.increment();
        long latency = nowNanos - Payload.sentNanos(payload);
        if (latency > 0) {
            totals.latency.recordValue(Math.min(latency, Totals.MAX_LATENCY_NANOS));
        }
    }

    long distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    /** Counters every connection adds to; read by the progress line and the summary. */
    static final class Totals {
        static final long MAX_LATENCY_NANOS = 60_000_000_000L;
        final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder acked = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder duplicates = new java.util.concurrent.atomic.LongAdder();
        final Recorder latency = new Recorder(MAX_LATENCY_NANOS, 3);
    }
}
