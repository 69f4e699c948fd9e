package io.courtier.cli.bench;

import io.netty.buffer.ByteBuf;

/**
 * What every bench message carries in its first bytes, so that a receiver can count loss and
 * duplicates per publisher and measure latency without a clock shared across machines: the
 * generator publishes and receives in one process, so {@link System#nanoTime} is comparable.
 */
final class Payload {
    /** publisher index (int), sequence number (long), send time in nanoseconds (long). */
    static final int HEADER = 4 + 8 + 8;

    private Payload() {
    }

    static int publisher(ByteBuf payload) {
        return payload.getInt(payload.readerIndex());
    }

    static long sequence(ByteBuf payload) {
        return payload.getLong(payload.readerIndex() + 4);
    }

    static long sentNanos(ByteBuf payload) {
        return payload.getLong(payload.readerIndex() + 12);
    }
}
