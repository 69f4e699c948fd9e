package io.courtier.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench conn}: opens N connections at a rate (0: as fast as the broker accepts them), each
 * with one subscription, from one or more loopback source addresses, holds them for the duration
 * (the moment to read the broker's memory), then closes them.
 */
final class ConnRun {
    private ConnRun() {
    }

    static int run(BenchRun engine, int connections, double ratePerSecond, SourceAddresses sources,
                   int holdSeconds, String prefix, PrintStream out) throws InterruptedException {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        List<CompletableFuture<LoadClient>> ready = new ArrayList<>(connections);
        long start = System.nanoTime();
        double interval = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        for (int i = 0; i < connections; i++) {
            long due = start + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String filter = prefix + "/idle/" + i;
            ready.add(engine.open("bench-" + run + "-c" + i, null, sources.forConnection(i)).thenCompose(c -> {
                c.subscribe(filter, 0);
                return c.subscribed;
            }));
        }
        int ok = 0;
        int failed = 0;
        // One deadline for all of them: a broker out of descriptors leaves connections in its
        // backlog unanswered, and 30 s each, one after the other, was minutes per few hundred.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (CompletableFuture<LoadClient> f : ready) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ok++;
            } catch (Exception e) {
                failed++;
            }
        }
        double readySeconds = (System.nanoTime() - start) / 1e9;
        out.println(String.format(Locale.ROOT, "%d connections ready in %.2f s (%.0f/s, %d failed%s); holding for %d s",
                ok, readySeconds, ok / readySeconds, failed, sources.describe(), holdSeconds));
        out.flush();
        TimeUnit.SECONDS.sleep(holdSeconds);
        out.println(String.format(Locale.ROOT,
                "RESULT scenario=conn connections=%d ready=%d failed=%d ready_seconds=%.2f connect_rate=%.0f",
                connections, ok, failed, readySeconds, ok / readySeconds));
        out.flush();
        for (CompletableFuture<LoadClient> f : ready) {
            LoadClient c = f.getNow(null);
            if (c != null) {
                c.channel().close();
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
