package io.courtier.bench;

import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.TopicTree;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link TopicTree#match} against 100,000 subscriptions of mixed shapes, the way a fleet of
 * devices subscribes: exact topics, one {@code +} level, a trailing {@code #}, and a few broad
 * filters that match almost everything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TopicTreeBench {

    private static final int SUBSCRIPTIONS = 100_000;
    private static final int SITES = 100;
    private static final int DEVICES = 1000;

    private final TopicTree tree = new TopicTree();
    private String[] topics;
    private int next;

    @Setup
    public void fill() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            String site = "site" + random.nextInt(SITES);
            String device = "dev" + random.nextInt(DEVICES);
            String filter = switch (i % 10) {
                case 0, 1, 2, 3, 4, 5 -> site + "/" + device + "/temp";
                case 6, 7 -> site + "/+/temp";
                case 8 -> site + "/" + device + "/#";
                default -> i % 1000 == 9 ? "+/+/temp" : "$SYS/broker/" + i;
            };
            tree.subscribe(new Subscriber("c" + i, null, filter, 1, false, false, 0, 0));
        }
        topics = new String[4096];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = "site" + random.nextInt(SITES) + "/dev" + random.nextInt(DEVICES) + "/temp";
        }
    }

    @Benchmark
    public void match(Blackhole bh) {
        String topic = topics[next++ & (topics.length - 1)];
        tree.match(topic, bh::consume);
    }
}
