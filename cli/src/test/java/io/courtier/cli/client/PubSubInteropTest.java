package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * courtier pub to Debian's mosquitto_sub, and Debian's mosquitto_pub to courtier sub, through a
 * Courtier broker, at every QoS; -l with 10,000 lines; the URL form; the Main entry point.
 */
class PubSubInteropTest {

    private static Broker broker;
    private static final AtomicInteger N = new AtomicInteger();

    @BeforeAll
    static void start() {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        // 10,000 QoS 1 lines may outrun mosquitto_sub on a busy machine: with Mosquitto's default
        // max_queued_messages (1000) the broker would rightly drop some. This test is about the tools.
        b.maxQueuedMessages = 100_000;
        broker = Broker.start(b.build(), "test");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String port() {
        return Integer.toString(broker.port());
    }

    private static String topic() {
        return "interop/" + N.incrementAndGet();
    }

    /** mosquitto_sub with -d (to see its SUBACK), waiting until subscribed. */
    private static Run.Proc mosquittoSub(String... args) {
        String[] all = concat(new String[] {"-d", "-p", port()}, args);
        Run.Proc p = Run.mosquitto("mosquitto_sub", all);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stdoutSoFar().contains("Subscribed (mid"));
        return p;
    }

    /** Its output without the -d lines. */
    private static String printed(Run.Result r) {
        return Arrays.stream(r.out().split("\n", -1))
                .filter(l -> !l.startsWith("Client ") && !l.startsWith("Subscribed (mid"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Runs one publishing tool and waits until the broker has sent its message on. Each tool run
     * is its own connection, maybe on another event loop, and a QoS 0 publish has no
     * acknowledgement: without this, two QoS 0 publishes in a row may be routed in either order.
     */
    private static <T> T delivered(java.util.concurrent.Callable<T> publishing) throws Exception {
        long before = broker.stats().publishSent.sum();
        T result = publishing.call();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats().publishSent.sum() > before);
        return result;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void courtierPubToMosquittoSub(int qos, @TempDir Path dir) throws Exception {
        String t = topic();
        Path file = dir.resolve("payload");
        Files.write(file, "from a file\n".getBytes(StandardCharsets.UTF_8));
        Run.Proc sub = mosquittoSub("-v", "-q", "2", "-t", t + "/#", "-C", "4");
        String q = Integer.toString(qos);
        assertThat(delivered(() -> Run.courtierPub("-p", port(), "-q", q, "-t", t + "/m", "-m", "Bonjour")).status())
                .isZero();
        assertThat(delivered(() -> Run.courtierPub("-p", port(), "-q", q, "-t", t + "/f", "-f", file.toString()))
                .status()).isZero();
        assertThat(delivered(() -> Run.courtierPub("stdin\0bytes".getBytes(StandardCharsets.UTF_8),
                "-p", port(), "-q", q, "-t", t + "/s", "-s")).status()).isZero();
        assertThat(Run.courtierPub("-p", port(), "-q", q, "-t", t + "/n", "-n").status()).isZero();
        Run.Result r = sub.await();
        assertThat(r.status()).isZero();
        assertThat(printed(r)).isEqualTo(t + "/m Bonjour\n" + t + "/f from a file\n\n" + t + "/s stdin\0bytes\n"
                + t + "/n (null)\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void mosquittoPubToCourtierSub(int qos) throws Exception {
        String t = topic();
        Run.Sub sub = Run.courtierSub("-p", port(), "-v", "-q", "2", "-t", t + "/#", "-C", "3");
        sub.subscriber.subscribed().get(10, TimeUnit.SECONDS);
        String q = Integer.toString(qos);
        for (String m : List.of("one", "two words", "three")) {
            Run.Result p = delivered(() -> Run.mosquittoNow("mosquitto_pub", "-p", port(), "-q", q, "-t", t + "/x",
                    "-m", m));
            assertThat(p.status()).as(p.stderr()).isZero();
        }
        Run.Result r = sub.await();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(t + "/x one\n" + t + "/x two words\n" + t + "/x three\n");
    }

    @Test
    void tenThousandLinesArriveCompleteAndInOrderAtQos1() {
        String t = topic();
        int lines = 10_000;
        String input = IntStream.range(0, lines).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Run.Proc sub = mosquittoSub("-q", "1", "-t", t, "-C", Integer.toString(lines));
        Run.Result pub = Run.courtierPub(input.getBytes(StandardCharsets.UTF_8), "-p", port(), "-q", "1", "-t", t, "-l");
        assertThat(pub.status()).as(pub.stderr()).isZero();
        Run.Result r = sub.await();
        assertThat(r.status()).isZero();
        assertThat(printed(r)).isEqualTo(input);
    }

    @Test
    void repeatAndRetain() throws Exception {
        String t = topic();
        Run.Result pub = Run.courtierPub("-p", port(), "-t", t, "-m", "again", "-q", "1", "--repeat", "3",
                "--repeat-delay", "0.01");
        assertThat(pub.status()).isZero();
        assertThat(Run.courtierPub("-p", port(), "-t", t + "/kept", "-m", "retained", "-r").status()).isZero();
        // QoS 0: the tool is done once it has written it; the broker may not have read it yet.
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.context().retained().get(t + "/kept") != null);
        Run.Result r = Run.mosquittoNow("mosquitto_sub", "-p", port(), "-t", t + "/kept", "-C", "1", "-v");
        assertThat(r.out()).isEqualTo(t + "/kept retained\n");
    }

    @Test
    void urlForm() throws Exception {
        String t = topic();
        Run.Sub sub = Run.courtierSub("-L", "mqtt://user:secret@127.0.0.1:" + port() + "/" + t, "-C", "1");
        sub.subscriber.subscribed().get(10, TimeUnit.SECONDS);
        assertThat(Run.courtierPub("-L", "mqtt://127.0.0.1:" + port() + "/" + t, "-m", "via url").status()).isZero();
        assertThat(sub.await().out()).isEqualTo("via url\n");
    }

    @Test
    void mainRunsSubWithSystemOut() throws Exception {
        String t = topic();
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                    () -> Main.run("sub", "-h", "127.0.0.1", "-p", port(), "-t", t, "-C", "1", "-v"));
            // No hook through Main: publish until the subscription catches one.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Main.run("pub", "-h", "127.0.0.1", "-p", port(), "-t", t, "-m", "Bonjour");
                return status.isDone();
            });
            assertThat(status.get()).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(t + " Bonjour\n");
    }
}
