package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS against Debian's mosquitto: certificates made at test time with the openssl CLI (a CA, a
 * server certificate for "localhost" only, a client certificate), a listener requiring client
 * certificates and one that does not.
 */
class TlsTest {

    private static Path dir;
    private static MosquittoBroker tls;
    private static MosquittoBroker mutual;

    @BeforeAll
    static void start() throws Exception {
        External.require("openssl");
        dir = Files.createTempDirectory("tls");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Courtier Test CA");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=Someone Else");
        signed("server", "/CN=localhost", "subjectAltName=DNS:localhost");
        signed("client", "/CN=client", "extendedKeyUsage=clientAuth");
        // mosquitto started as root drops to its own user before reading the certificates.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        tls = MosquittoBroker.inTempDir("cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"),
                "keyfile " + dir.resolve("server.key"));
        mutual = MosquittoBroker.inTempDir("cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"),
                "keyfile " + dir.resolve("server.key"), "require_certificate true");
    }

    private static void signed(String name, String subject, String extension) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
        if (mutual != null) {
            mutual.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // A temporary directory left behind is harmless.
            }
        }
    }

    private static String ca() {
        return dir.resolve("ca.crt").toString();
    }

    @Test
    void courtierCtrlOverTlsAdministersMosquittosDynamicSecurity() throws Exception {
        External.require("mosquitto_ctrl");
        Path file = dir.resolve("dynamic-security.json");
        assertThat(Run.courtierCtrl("dynsec", "init", file.toString(), "admin", "adminpw").status()).isZero();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (MosquittoBroker m = MosquittoBroker.inTempDir("cafile " + ca(), "certfile " + dir.resolve("server.crt"),
                "keyfile " + dir.resolve("server.key"),
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so", "plugin_opt_config_file " + file)) {
            String[] connect = {"-h", "localhost", "-p", Integer.toString(m.port()), "--cafile", ca(), "-u", "admin",
                "-P", "adminpw", "dynsec"};
            Run.Result created = Run.courtierCtrl(concat(connect, "createClient", "tlsuser", "-p", "x", "-c", "tid"));
            assertThat(created.stderr()).isEmpty(); // no warning about encryption: this is TLS
            assertThat(created.status()).isZero();
            Run.Result ours = Run.courtierCtrl(concat(connect, "getClient", "tlsuser"));
            Run.Result theirs = Run.mosquittoNow("mosquitto_ctrl", concat(connect, "getClient", "tlsuser"));
            assertThat(ours.out()).isEqualTo("Username: tlsuser\nClientid: tid\n").isEqualTo(theirs.out());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void courtierPubOverTlsReachesMosquittoSub() {
        String port = Integer.toString(tls.port());
        Run.Proc sub = Run.mosquitto("mosquitto_sub", "-h", "localhost", "-p", port, "--cafile", ca(),
                "-t", "tls/a", "-C", "1", "-v", "-i", "tls-sub-a");
        tls.awaitSubscribed("tls-sub-a");
        Run.Result pub = Run.courtierPub("-h", "localhost", "-p", port, "--cafile", ca(), "-t", "tls/a",
                "-m", "secret", "-q", "1");
        assertThat(pub.status()).as(pub.stderr()).isZero();
        assertThat(sub.await().out()).isEqualTo("tls/a secret\n");
    }

    @Test
    void tlsAlpnIsOfferedInTheHandshake() throws Exception {
        int port = External.freePort();
        // OpenSSL's test server prints what the client offered; its input stays open, or it stops.
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", Integer.toString(port),
                "-cert", dir.resolve("server.crt").toString(), "-key", dir.resolve("server.key").toString(),
                "-alpn", "x-amzn-mqtt-ca").redirectErrorStream(true).start();
        StringBuffer printed = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()))) {
                for (String line; (line = in.readLine()) != null; ) {
                    printed.append(line).append('\n');
                }
            } catch (IOException closed) {
                // the server was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> printed.toString().contains("ACCEPT"));
            // The server speaks no MQTT: the publish fails once the server goes; the handshake is what counts.
            java.util.concurrent.CompletableFuture<Run.Result> pub = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> Run.courtierPub("-h", "localhost", "-p", Integer.toString(port), "--cafile", ca(),
                            "--tls-alpn", "x-amzn-mqtt-ca", "-t", "t", "-m", "m"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> printed.toString().contains("ALPN protocols advertised by the client: x-amzn-mqtt-ca"));
            server.destroy();
            assertThat(pub.get(30, TimeUnit.SECONDS).status()).isNotZero();
        } finally {
            server.destroy();
        }
    }

    @Test
    void mosquittoPubOverTlsReachesCourtierSub() throws Exception {
        String port = Integer.toString(tls.port());
        Run.Sub sub = Run.courtierSub("-h", "localhost", "-p", port, "--cafile", ca(), "-t", "tls/b", "-C", "1",
                "--tls-version", "tlsv1.2");
        sub.subscriber.subscribed().get(10, TimeUnit.SECONDS);
        Run.Result pub = Run.mosquittoNow("mosquitto_pub", "-h", "localhost", "-p", port, "--cafile", ca(),
                "-t", "tls/b", "-m", "over tls", "-q", "2");
        assertThat(pub.status()).as(pub.stderr()).isZero();
        assertThat(sub.await().out()).isEqualTo("over tls\n");
    }

    @Test
    void anUntrustedServerIsRefusedAsMosquittoRefusesIt() {
        String port = Integer.toString(tls.port());
        String[] args = {"-h", "localhost", "-p", port, "--cafile", dir.resolve("other-ca.crt").toString(),
            "-t", "tls/c", "-m", "x"};
        Run.Result mosquitto = Run.mosquittoNow("mosquitto_pub", args);
        Run.Result courtier = Run.courtierPub(args);
        // Both refuse. libmosquitto exits 8 "A TLS error occurred." or, when OpenSSL reports late,
        // 1 "Protocol error"; courtier always reports the TLS error.
        assertThat(mosquitto.status()).isIn(1, ClientTool.TLS_ERROR);
        assertThat(courtier.status()).isEqualTo(ClientTool.TLS_ERROR);
        assertThat(courtier.stderr()).isEqualTo("Error: A TLS error occurred.\n");
    }

    @Test
    void theHostNameIsCheckedUnlessInsecure() {
        String port = Integer.toString(tls.port());
        // The certificate names "localhost", not "127.0.0.1".
        String[] args = {"-h", "127.0.0.1", "-p", port, "--cafile", ca(), "-t", "tls/d", "-m", "x"};
        Run.Result mosquitto = Run.mosquittoNow("mosquitto_pub", args);
        Run.Result courtier = Run.courtierPub(args);
        // Both refuse; libmosquitto's status here depends on when OpenSSL notices (1 or 8), ours is 8.
        assertThat(mosquitto.status()).isNotZero();
        assertThat(courtier.status()).isEqualTo(ClientTool.TLS_ERROR);
        assertThat(courtier.stderr()).isEqualTo("Error: A TLS error occurred.\n");

        List<String> insecure = new ArrayList<>(List.of(args));
        insecure.add("--insecure");
        assertThat(Run.mosquittoNow("mosquitto_pub", insecure.toArray(String[]::new)).status()).isZero();
        Run.Result ok = Run.courtierPub(insecure.toArray(String[]::new));
        assertThat(ok.status()).as(ok.stderr()).isZero();
    }

    @Test
    void clientCertificates() {
        String port = Integer.toString(mutual.port());
        List<String> base = List.of("-h", "localhost", "-p", port, "--cafile", ca(), "-t", "tls/e", "-m", "x");
        List<String> withCert = new ArrayList<>(base);
        withCert.addAll(List.of("--cert", dir.resolve("client.crt").toString(), "--key",
                dir.resolve("client.key").toString()));
        Run.Result ok = Run.courtierPub(withCert.toArray(String[]::new));
        assertThat(ok.status()).as(ok.stderr()).isZero();

        Run.Result mosquitto = Run.mosquittoNow("mosquitto_pub", base.toArray(String[]::new));
        Run.Result courtier = Run.courtierPub(base.toArray(String[]::new));
        // The broker refuses after the handshake (TLS 1.3): both fail, libmosquitto with 1 or 7.
        assertThat(mosquitto.status()).isNotZero();
        assertThat(courtier.status()).isNotZero();
    }

    @Test
    void aMissingCaFileIsReportedBeforeConnecting() {
        String[] args = {"-p", Integer.toString(tls.port()), "--cafile", dir.resolve("nope.crt").toString(),
            "-t", "tls/f", "-m", "x"};
        Run.Result mosquitto = Run.mosquittoNow("mosquitto_pub", args);
        Run.Result courtier = Run.courtierPub(args);
        assertThat(courtier.stderr()).isEqualTo(mosquitto.stderr());
        assertThat(courtier.status()).isEqualTo(mosquitto.status());
    }
}
