package io.courtier.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.cli.Main;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code courtier bench} against a real broker: counts are exact, and loss and duplicates are not hidden. */
class BenchCommandTest {

    private Broker broker;

    @BeforeEach
    void start() {
        BrokerConfig.Builder config = BrokerConfig.builder().listener(0).allowAnonymous(true);
        config.maxQueuedMessages = 0; // a lossless broker: every accepted message must arrive
        broker = Broker.start(config.build(), "test");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void faninAtQos1DeliversEveryAcknowledgedMessageOnce() {
        String out = bench("fanin", "-P", "4", "-q", "1", "-n", "2000", "-d", "60");
        assertThat(field(out, "sent")).isEqualTo(8000);
        assertThat(field(out, "acked")).isEqualTo(8000);
        assertThat(field(out, "received")).isEqualTo(8000);
        assertThat(field(out, "lost")).isZero();
        assertThat(field(out, "duplicates")).isZero();
    }

    @Test
    void fanoutAtQos2CountsEverySubscribersCopy() {
        String out = bench("fanout", "-S", "5", "-q", "2", "-n", "500", "-d", "60");
        assertThat(field(out, "expected")).isEqualTo(2500);
        assertThat(field(out, "received")).isEqualTo(2500);
        assertThat(field(out, "duplicates")).isZero();
    }

    @Test
    void aWarmUpLeavesLatencyOutButStillCountsEveryMessage() {
        String out = bench("latency", "-q", "1", "-r", "2000", "-d", "2", "--warmup", "1");
        assertThat(field(out, "warmup_s")).isEqualTo(1);
        assertThat(field(out, "received")).isEqualTo(field(out, "sent")).isPositive();
        assertThat(field(out, "lost")).isZero();
    }

    @Test
    void aRepeatedSequenceNumberIsADuplicateAndAGapIsMissing() {
        Tally.Totals totals = new Tally.Totals();
        Tally tally = new Tally(2, totals);
        tally.record(payload(0, 0), System.nanoTime());
        tally.record(payload(0, 1), System.nanoTime());
        tally.record(payload(0, 1), System.nanoTime());
        tally.record(payload(1, 5), System.nanoTime());
        assertThat(tally.distinct()).isEqualTo(3);
        assertThat(tally.duplicates()).isEqualTo(1);
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        assertThat(Main.run("bench", "nonsense")).isNotZero();
    }

    private static ByteBuf payload(int publisher, long sequence) {
        return Unpooled.buffer(Payload.HEADER).writeInt(publisher).writeLong(sequence).writeLong(System.nanoTime());
    }

    private String bench(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "-p";
        full[args.length + 2] = Integer.toString(broker.port());
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(full)).isZero();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static long field(String out, String name) {
        Matcher m = Pattern.compile("^RESULT .*\\b" + name + "=(\\d+)", Pattern.MULTILINE).matcher(out);
        assertThat(m.find()).as("RESULT line with %s in:%n%s", name, out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
