package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden comparisons: Debian's mosquitto_sub and courtier sub subscribe side by side to the same
 * broker (Debian's mosquitto) with the same flags, receive the same messages, and must print
 * byte-identical output and exit with the same status. Only the wall-clock "tst" of %j/%J differs
 * by nature and is blanked before comparing.
 */
class SubGoldenTest {

    private static MosquittoBroker broker;
    private static final AtomicInteger CASE = new AtomicInteger();

    /** One message to publish: topic below the case's root, payload bytes, QoS, retain, extra mosquitto_pub flags. */
    record Msg(String topic, byte[] payload, int qos, boolean retain, String... extra) {
        static Msg of(String topic, String payload, int qos, boolean retain, String... extra) {
            return new Msg(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, extra);
        }
    }

    private static final List<Msg> RETAINED = List.of(
            Msg.of("a", "stale one", 0, true),
            Msg.of("b/c", "{\"stale\": [1, 2.5, true]}", 1, true));
    private static final List<Msg> FRESH = List.of(
            Msg.of("a", "hello world", 0, false),
            Msg.of("b", "", 1, false),
            Msg.of("b/c", "caf\u00e9 \"quoted\" back\\slash\ttab", 2, false),
            new Msg("d", new byte[] {0, 1, 2, (byte) 0xff, '\n', 'x'}, 1, false),
            Msg.of("e", "{ \"temperature\" : 27.0, \"ok\": false, \"n\": null, \"s\": \"\\u00e9\\n\" }", 0, false));

    @BeforeAll
    static void start() {
        broker = MosquittoBroker.inTempDir();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void verbose() {
        compare(List.of("-v"), 7);
    }

    @Test
    void payloadOnly() {
        compare(List.of(), 7);
    }

    @Test
    void noEndOfLine() {
        compare(List.of("-N"), 7);
    }

    @Test
    void verboseWithoutEndOfLine() {
        compare(List.of("-v", "-N"), 7);
    }

    @Test
    void qos2Verbose() {
        // Every message at QoS 2: QoS 2 reaches the printer at PUBREL, later than QoS 0/1 sent after it.
        List<Msg> fresh = FRESH.stream().map(m -> new Msg(m.topic(), m.payload(), 2, false)).toList();
        run(root(), List.of("-v", "-q", "2"), RETAINED, fresh, 7);
    }

    @Test
    void formatWithMessageFields() {
        compare(List.of("-q", "1", "-F", "%t|%p|%q|%r|%l|%m|%x|%X|%%|@@|\\t|\\\\|\\e|\\r|\\0|end"), 7);
    }

    @Test
    void formatWithWidthsAndPrecision() {
        compare(List.of("-F", "[%8t][%-8t][%.3t][%6.2t][%05l][%-4l][%4p][%03m]"), 7);
    }

    @Test
    void formatWithoutEndOfLine() {
        compare(List.of("-N", "-F", "%t=%p\\n"), 7);
    }

    @Test
    void jsonFormat() {
        compare(List.of("-q", "1", "-F", "%j"), 7);
    }

    @Test
    void jsonFormatPretty() {
        compare(List.of("-F", "%j", "--pretty"), 7);
    }

    @Test
    void rawJsonFormat() {
        compare(List.of("-F", "%J"), 7);
    }

    @Test
    void rawJsonFormatPretty() {
        compare(List.of("-F", "%J", "--pretty"), 7);
    }

    @Test
    void rawJsonNumbersStringsAndNesting() {
        List<Msg> fresh = List.of(
                Msg.of("n", "[0.1, 1e21, 0.3333333333333333, -0.0, 123456789012, 1.5e-7, 2147483647, -2147483648, 1E+2]",
                        0, false),
                Msg.of("s", "{\"a\\/b\": \"\\u00e9\\ud83d\\ude00\\t\", \"e\": {}, \"l\": [], \"x\": [{\"y\": [true]}]}", 0, false),
                Msg.of("bad", "{\"unterminated\": ", 0, false),
                Msg.of("scalar", "  42  ", 0, false));
        run(root(), List.of("-F", "%J"), List.of(), fresh, 4);
        run(root(), List.of("-F", "%J", "--pretty"), List.of(), fresh, 4);
    }

    @Test
    void messageCountStopsEarly() {
        compare(List.of("-v", "-C", "3"), 0);
    }

    @Test
    void countCutsABurstOfRetainedMessages() {
        compare(List.of("-v", "-C", "1"), 0);
    }

    @Test
    void unsubscribeAfterSubscribing() {
        compare(List.of("-v", "-t", "ROOT/extra/#", "-U", "ROOT/extra/#", "-C", "7"), 0);
    }

    @Test
    void skipRetained() {
        compare(List.of("-v", "-R"), 5);
    }

    @Test
    void retainedOnlyExitsAtTheFirstFreshMessage() {
        compare(List.of("-v", "--retained-only"), 0);
    }

    @Test
    void filterOut() {
        compare(List.of("-v", "-T", "ROOT/b/#", "-T", "ROOT/d"), 3);
    }

    @Test
    void mqtt5WithProperties() {
        String root = root();
        List<Msg> fresh = List.of(
                Msg.of("p", "with props", 1, false, "-V", "5", "-D", "publish", "content-type", "text/plain",
                        "-D", "publish", "response-topic", "reply/here", "-D", "publish", "user-property", "k", "v",
                        "-D", "publish", "user-property", "k2", "v2", "-D", "publish", "payload-format-indicator", "1",
                        "-D", "publish", "correlation-data", "corr"),
                Msg.of("q", "plain", 0, false));
        run(root, List.of("-V", "mqttv5", "-q", "1", "-F", "%t|%C|%R|%P|%F|%D|%p"), List.of(), fresh, 2);
        run(root(), List.of("-V", "mqttv5", "-q", "1", "-F", "%j"), List.of(), fresh, 2);
    }

    @Test
    void timeoutExitsWith27() {
        String root = root();
        Run.Proc m = Run.mosquitto("mosquitto_sub", "-p", port(), "-t", root + "/#", "-W", "1");
        Run.Sub c = Run.courtierSub("-p", port(), "-t", root + "/#", "-W", "1");
        Run.Result rm = m.await();
        Run.Result rc = c.await();
        assertThat(rc.status()).isEqualTo(rm.status()).isEqualTo(27);
        assertThat(rc.stderr()).isEqualTo(rm.stderr()).isEqualTo("Timed out\n");
    }

    @Test
    void exitAfterSubscribe() {
        String root = root();
        Run.Result rm = Run.mosquittoNow("mosquitto_sub", "-p", port(), "-t", root + "/#", "-E");
        Run.Result rc = Run.courtierSub("-p", port(), "-t", root + "/#", "-E").await();
        assertThat(rc.status()).isEqualTo(rm.status()).isZero();
        assertThat(rc.stdout()).isEqualTo(rm.stdout()).isEmpty();
    }

    // ------------------------------------------------------------------ machinery

    private static String port() {
        return Integer.toString(broker.port());
    }

    private static String root() {
        return "golden" + CASE.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    /** Retained messages, then both subscribers, then the fresh messages; count = -C (0: flags end the run). */
    private void compare(List<String> flags, int count) {
        run(root(), flags, RETAINED, FRESH, count);
    }

    private void run(String root, List<String> flags, List<Msg> retained, List<Msg> fresh, int count) {
        for (Msg m : retained) {
            publish(root, m);
        }
        List<String> common = new ArrayList<>(List.of("-p", port(), "-t", root + "/#"));
        for (String f : flags) {
            common.add(f.replace("ROOT", root));
        }
        if (count > 0) {
            common.addAll(List.of("-C", Integer.toString(count)));
        }
        String idM = root + "-mosquitto";
        String idC = root + "-courtier";
        Run.Proc m = Run.mosquitto("mosquitto_sub", with(common, "-i", idM));
        Run.Sub c = Run.courtierSub(with(common, "-i", idC));
        broker.awaitSubscribed(idM);
        broker.awaitSubscribed(idC);
        for (Msg msg : fresh) {
            publish(root, msg);
        }
        Run.Result rm = m.await();
        Run.Result rc = c.await();
        assertThat(blankTimestamps(rc.stdout())).as("stdout of courtier sub %s", flags)
                .isEqualTo(blankTimestamps(rm.stdout()));
        assertThat(rc.stderr()).as("stderr").isEqualTo(rm.stderr());
        assertThat(rc.status()).as("exit status").isEqualTo(rm.status());
        assertThat(rm.stdout()).as("mosquitto_sub printed something").isNotEmpty();
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void publish(String root, Msg m) {
        List<String> args = new ArrayList<>(List.of("-p", port(), "-t", root + "/" + m.topic(), "-q",
                Integer.toString(m.qos())));
        if (m.retain()) {
            args.add("-r");
        }
        args.addAll(List.of(m.extra()));
        if (m.payload().length == 0) {
            args.add("-n");
            Run.Result r = Run.mosquittoNow("mosquitto_pub", args.toArray(String[]::new));
            assertThat(r.status()).as(r.stderr()).isZero();
        } else {
            args.add("-s");
            Run.Result r = new Run.Proc(m.payload(), "mosquitto_pub", args.toArray(String[]::new)).await();
            assertThat(r.status()).as(r.stderr()).isZero();
        }
    }

    /** The JSON "tst" field is the local receive time: equal in shape, not in value. */
    private static String blankTimestamps(byte[] out) {
        return new String(out, StandardCharsets.ISO_8859_1)
                .replaceAll("\"tst\":(\t?)\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z[+-]\\d{4}\"", "\"tst\":$1\"T\"");
    }
}
