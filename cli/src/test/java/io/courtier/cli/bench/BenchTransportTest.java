package io.courtier.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.cli.Main;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier bench} over WebSocket and TLS, against Debian's mosquitto (a broker nobody here
 * wrote) on a free port: every message is counted, none lost.
 */
class BenchTransportTest {

    @TempDir
    Path tmp;
    private MosquittoBroker mosquitto;

    @AfterEach
    void stop() {
        if (mosquitto != null) {
            mosquitto.close();
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
        External.require("openssl");
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
        mosquitto.close();

        int wss = startMosquitto("protocol websockets\n" + tlsFiles);
        out = bench("fanin", "-P", "2", "-q", "0", "-n", "500", "-d", "60", "--ws", "--cafile", cert.toString(),
                "-p", Integer.toString(wss));
        assertThat(field(out, "received")).isEqualTo(1000);
        assertThat(out).contains("transport=wss");
    }

    @Test
    void anUntrustedCertificateFailsTheRunWithAMessage() throws Exception {
        External.require("openssl");
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

    /** Starts mosquitto with one more listener on a free port, followed by {@code extra} lines; returns that port. */
    private int startMosquitto(String extra) throws IOException {
        int port = External.freePort();
        // mosquitto 2.0.11 refuses to start with a websockets listener alone ("Unable to start any
        // listening sockets"): the kit's plain listener goes first.
        mosquitto = MosquittoBroker.start(tmp, "listener " + port + " 127.0.0.1", extra, "max_inflight_messages 0",
                "max_queued_messages 0");
        mosquitto.awaitListening(port);
        return port;
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
