package io.courtier.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier bench} over WebSocket and TLS, against Debian's mosquitto (a broker nobody here
 * wrote) on a free port: every message is counted, none lost.
 */
class BenchTransportTest {

    @TempDir
    Path tmp;
    private Process mosquitto;

    @AfterEach
    void stop() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void faninOverWebSocketCountsEveryMessage() throws Exception {
        int port = startMosquitto("protocol websockets");
        String out = bench("fanin", "-P", "2", "-q", "1", "-n", "1000", "-d", "60", "--ws", "-p",
                Integer.toString(port));
        assertThat(field(out, "sent")).isEqualTo(2000);
        assertThat(field(out, "acked")).isEqualTo(2000);
        assertThat(field(out, "received")).isEqualTo(2000);
        assertThat(field(out, "lost")).isZero();
        assertThat(field(out, "duplicates")).isZero();
        assertThat(out).contains("transport=ws");
    }

    @Test
    void fanoutOverWebSocketWithAPathCountsEverySubscribersCopy() throws Exception {
        int port = startMosquitto("protocol websockets");
        String out = bench("fanout", "-S", "3", "-q", "2", "-n", "300", "-d", "60", "--ws=/mqtt", "-p",
                Integer.toString(port));
        assertThat(field(out, "expected")).isEqualTo(900);
        assertThat(field(out, "received")).isEqualTo(900);
        assertThat(field(out, "duplicates")).isZero();
    }

    @Test
    void faninOverTlsAndSecureWebSocketChecksTheCertificate() throws Exception {
        Assumptions.assumeTrue(have("openssl"), "openssl is not installed");
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key.toString(),
                "-out", cert.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        String tlsFiles = "certfile " + cert + "\nkeyfile " + key;
        int tls = startMosquitto(tlsFiles);
        String out = bench("fanin", "-P", "2", "-q", "1", "-n", "500", "-d", "60", "--cafile", cert.toString(),
                "-p", Integer.toString(tls));
        assertThat(field(out, "received")).isEqualTo(1000);
        assertThat(field(out, "lost")).isZero();
        assertThat(out).contains("transport=tls");
        mosquitto.destroy();
        mosquitto.waitFor(10, TimeUnit.SECONDS);

        int wss = startMosquitto("protocol websockets\n" + tlsFiles);
        out = bench("fanin", "-P", "2", "-q", "0", "-n", "500", "-d", "60", "--ws", "--cafile", cert.toString(),
                "-p", Integer.toString(wss));
        assertThat(field(out, "received")).isEqualTo(1000);
        assertThat(out).contains("transport=wss");
    }

    @Test
    void anUntrustedCertificateFailsTheRunWithAMessage() throws Exception {
        Assumptions.assumeTrue(have("openssl"), "openssl is not installed");
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        int port = startMosquitto("certfile " + cert + "\nkeyfile " + key);
        // No --cafile: the JVM's trust store does not know a self-signed test certificate.
        assertThat(Main.run("bench", "fanin", "-n", "10", "-d", "5", "--tls", "-p", Integer.toString(port)))
                .isNotZero();
    }

    @Test
    void aMissingCaFileIsAClearErrorNotATrace() {
        assertThat(Main.run("bench", "fanin", "-n", "1", "-d", "1", "--cafile", tmp.resolve("absent.pem").toString()))
                .isEqualTo(1);
    }

    /** Starts mosquitto with one listener on a free port plus {@code extra} lines; returns the port. */
    private int startMosquitto(String extra) throws IOException {
        Assumptions.assumeTrue(have("mosquitto"), "Debian's mosquitto is not installed");
        int port = freePort();
        Path conf = tmp.resolve("mosquitto-" + port + ".conf");
        // mosquitto 2.0.11 refuses to start with a websockets listener alone ("Unable to start any
        // listening sockets"): a plain listener goes first.
        Files.writeString(conf, "listener " + freePort() + " 127.0.0.1\nlistener " + port + " 127.0.0.1\n" + extra + "\nallow_anonymous true\n"
                + "max_inflight_messages 0\nmax_queued_messages 0\n");
        // mosquitto started as root drops to its own user: let it read the files.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(tmp)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mosquitto-" + port + ".log").toFile()).start();
        int p = port;
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(mosquitto.isAlive()).as("mosquitto running: %s",
                    Files.readString(tmp.resolve("mosquitto-" + p + ".log"))).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean have(String program) {
        boolean present = List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(program + " is required under CI");
        }
        return present;
    }

    private static String bench(String... args) {
        List<String> full = new ArrayList<>(List.of("bench"));
        full.addAll(List.of(args));
        full.addAll(List.of("-h", "localhost"));
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(full.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("bench exit status; output:%n%s", out).isZero();
        return out;
    }

    private static long field(String out, String name) {
        Matcher m = Pattern.compile("^RESULT .*\\b" + name + "=(\\d+)", Pattern.MULTILINE).matcher(out);
        assertThat(m.find()).as("RESULT line with %s in:%n%s", name, out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
