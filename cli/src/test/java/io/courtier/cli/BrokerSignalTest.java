package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code courtier broker} in its own JVM, as a service manager runs it: SIGTERM and SIGINT stop
 * accepting, close the connected clients and exit with status 0.
 */
class BrokerSignalTest {

    @TempDir
    Path tmp;

    /** CONNECT 3.1.1, clean session, keepalive 60, client id "sig". */
    private static final byte[] CONNECT = {0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 3, 's', 'i', 'g'};

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void exitsZeroOnSignalAndClosesClients(String signal) throws Exception {
        int port = External.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = tmp.resolve("stderr.txt");
        Process broker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.courtier.cli.Main", "broker", "-p", String.valueOf(port))
                .redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(err.toFile())
                .start();
        try {
            Socket client = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> new Socket("127.0.0.1", port), s -> true);
            client.setSoTimeout(20_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(CONNECT);
            out.flush();
            assertThat(new byte[] {(byte) in.read(), (byte) in.read(), (byte) in.read(), (byte) in.read()})
                    .as("CONNACK accepted").containsExactly(0x20, 2, 0, 0);

            new ProcessBuilder("kill", "-" + signal, String.valueOf(broker.pid())).start().waitFor();

            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).as("broker exited").isTrue();
            assertThat(broker.exitValue()).isZero();
            assertThat(in.read()).as("client connection closed").isEqualTo(-1);
            client.close();
            List<String> log = Files.readAllLines(err);
            assertThat(log).anyMatch(l -> l.endsWith("Opening ipv4 listen socket on port " + port + "."));
            assertThat(log).anyMatch(l -> l.contains("terminating"));
            assertThat(log).noneMatch(l -> l.contains("Exception"));
        } finally {
            broker.destroyForcibly();
        }
    }
}
