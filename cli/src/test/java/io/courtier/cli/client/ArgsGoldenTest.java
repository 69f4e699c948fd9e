package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.cli.Main;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command lines, refused connections and unreachable brokers: courtier pub/sub print the same
 * error line as mosquitto_pub/mosquitto_sub 2.0, point at --help when they do, and exit with the same status.
 */
class ArgsGoldenTest {

    static Stream<String> pubLines() {
        return Stream.of("-z", "foo", "-p", "-t", "-m", "-q 3", "-q", "-k 2", "-k 70000", "-p 70000", "-V x", "-V",
                "-i a -I b -t a -m x", "-L foo://x/t -m x", "-L mqtt://h -m x", "--repeat 0 -t a -m x",
                "--repeat-delay -1 -t a -m x", "--will-qos 3", "--will-payload x -t a -m x", "--will-retain -t a -m x",
                "-x -5 -t a -m x", "-x x", "-c -t a -m x", "-D x y z", "-D connect y z", "-D publish content-type",
                "-D connect receive-maximum 70000", "-D publish receive-maximum 5 -t a -m x", "-t a/# -m x",
                "-t a -m x -l", "-m a -m b -t x", "-t a", "-m x", "--cert /x -t a -m x", "-C 3", "-T a", "-W 1",
                "-t a -m x --will-topic a/#", "-V 5 -c -t a -m x", "-M 0", "-f", "-A", "--cafile", "--tls-version");
    }

    static Stream<String> subLines() {
        return Stream.of("-z", "-m x", "-l", "-t", "-C 0", "-C x", "-W 0", "-F", "-T a/#/b -t a", "-U a/#/c -t a",
                "-t a/#/b", "-t a -R --retained-only", "-q 3 -t a", "-F %z -t a", "-F % -t a", "-F @ -t a",
                "-F \\q -t a", "-F \\ -t a", "", "-U a", "--random-filter 0 -t a", "-x 99999999999 -t a",
                "-D subscribe user-property a", "-c -t a", "--repeat 2 -t a");
    }

    @ParameterizedTest
    @MethodSource("pubLines")
    void pubUsageErrors(String line) {
        compare("pub", split(line));
    }

    @ParameterizedTest
    @MethodSource("subLines")
    void subUsageErrors(String line) {
        compare("sub", split(line));
    }

    @Test
    void noBrokerListening() {
        String port = Integer.toString(External.freePort());
        compare("pub", "-p", port, "-t", "a", "-m", "x");
        compare("sub", "-p", port, "-t", "a");
        compare("pub", "-p", port, "-t", "a", "-m", "x", "--quiet");
    }

    @Test
    void unknownHost() {
        compare("pub", "-h", "no-such-host.invalid", "-t", "a", "-m", "x");
        compare("sub", "-h", "no-such-host.invalid", "-t", "a");
    }

    @Test
    void refusedConnectionExitsWithTheConnackCode() {
        try (MosquittoBroker secured = MosquittoBroker.inTempDir("allow_anonymous false")) {
            String port = Integer.toString(secured.port());
            for (String v : List.of("mqttv31", "mqttv311", "mqttv5")) {
                compare("pub", "-p", port, "-t", "a", "-m", "x", "-V", v);
                compare("sub", "-p", port, "-t", "a", "-V", v);
            }
        }
    }

    @Test
    void helpPrintsUsageOnStdoutAndExits1() {
        for (String tool : List.of("pub", "sub")) {
            Run.Result mosquitto = Run.mosquittoNow("mosquitto_" + tool, "--help");
            Run.Result courtier = courtier(tool, "--help");
            assertThat(courtier.status()).isEqualTo(mosquitto.status()).isEqualTo(1);
            assertThat(courtier.out()).contains("Usage: courtier " + tool).contains("-t").contains("-h");
        }
    }

    @Test
    void mainHandsPubFlagsOverUnparsed() {
        // -h is the host for pub/sub, not picocli's help: through Main it must reach the tool.
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(Main.run("pub", "-h")).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Error: -h argument given but no host specified.");
    }

    // ------------------------------------------------------------------

    private static String[] split(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }

    private static Run.Result courtier(String tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true);
        PrintStream e = new PrintStream(err, true);
        int status = tool.equals("pub")
                ? new Publisher(new java.io.ByteArrayInputStream(new byte[0]), o, e).run(args)
                : new Subscriber(o, e).run(args);
        return new Run.Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Same exit status, same non-blank stderr lines (the tool's name aside). */
    private static void compare(String tool, String... args) {
        Run.Result mosquitto = Run.mosquittoNow("mosquitto_" + tool, args);
        Run.Result courtier = courtier(tool, args);
        String described = tool + " " + String.join(" ", args);
        assertThat(lines(courtier.stderr())).as("stderr of %s", described)
                .isEqualTo(lines(mosquitto.stderr().replace("mosquitto_" + tool, "courtier " + tool)));
        assertThat(courtier.status()).as("exit status of %s", described).isEqualTo(mosquitto.status());
        assertThat(courtier.stdout().length > 0).as("usage on stdout for %s", described)
                .isEqualTo(mosquitto.stdout().length > 0);
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

}
