package io.courtier.cli.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The once-a-second line: rates out and in over the last second, and latency percentiles. */
final class Progress {
    private final PrintStream out;
    private final Tally.Totals totals;
    private final long start;
    private long lastSent;
    private long lastReceived;
    private long lastAt;

    Progress(PrintStream out, Tally.Totals totals, long start) {
        this.out = out;
        this.totals = totals;
        this.start = start;
        this.lastAt = start;
    }

    /** Sleeps to the next second, prints a line, and adds the second's latencies to {@code all}. */
    void sleepAndPrint(Histogram all) throws InterruptedException {
        long next = lastAt + 1_000_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        long now = System.nanoTime();
        long sent = totals.sent.sum();
        long received = totals.received.sum();
        Histogram second = totals.latency.getIntervalHistogram();
        all.add(second);
        double seconds = (now - lastAt) / 1e9;
        out.println(String.format(Locale.ROOT, "[%4.0fs] out %9.0f msg/s  in %9.0f msg/s  p50 %7.2f ms  p99 %7.2f ms",
                (now - start) / 1e9, (sent - lastSent) / seconds, (received - lastReceived) / seconds,
                second.getValueAtPercentile(50) / 1e6, second.getValueAtPercentile(99) / 1e6));
        out.flush();
        lastSent = sent;
        lastReceived = received;
        lastAt = now;
    }
}
