package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.config.TlsConfig;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server certificate signed by an intermediate CA that is in {@code cafile}, not in
 * {@code certfile}: Courtier completes the chain as Mosquitto does, so clients that trust only
 * the root verify it. Driven by Python's {@code ssl}, {@code openssl s_client} and
 * {@code mosquitto_pub --cafile root-only.crt}; client certificates, CRLs and the user name a
 * certificate gives work with such a chain too, and a reload picks up new files.
 */
class TlsChainTest {

    @TempDir
    static Path dir;
    static TestCertificates chain;

    @BeforeAll
    static void certificates() throws Exception {
        chain = TestCertificates.create(dir).withIntermediate();
    }

    @AfterEach
    void defaultProvider() {
        System.clearProperty("courtier.tls.provider");
    }

    private static TlsConfig tls(Path cafile, boolean requireCertificate, boolean identity, boolean subject, Path crl) {
        return new TlsConfig(chain.file("server.crt"), chain.file("server.key"), cafile, null, null, null, crl,
                requireCertificate, identity, subject, null);
    }

    private static Broker start(TlsConfig tls, SecurityConfig security) {
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1").withTls(tls)));
        b.security = security;
        b.sysInterval = 0;
        return Broker.start(b.build(), "test");
    }

    /** Python's ssl with the default context (verification on) trusting root-only.crt. */
    static External.Result python(int port) {
        String script = String.join("\n",
                "import socket, ssl, sys",
                "ctx = ssl.create_default_context(cafile=sys.argv[1])",
                "with socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10) as s:",
                "    with ctx.wrap_socket(s, server_hostname='localhost') as t:",
                "        print('verified', t.version())");
        return External.run(List.of("python3", "-c", script, chain.file("root-only.crt").toString(),
                Integer.toString(port)));
    }

    /** {@code openssl s_client -showcerts}, failing on a verification error. */
    static External.Result sClient(int port) {
        return External.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost", "-CAfile", chain.file("root-only.crt").toString(), "-verify_return_error",
                "-showcerts"), "");
    }

    static External.Result mosquittoPub(int port, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(port),
                "--cafile", chain.file("root-only.crt").toString(), "-q", "1"));
        cmd.addAll(certificateArgs(extra));
        return External.run(cmd);
    }

    /** Reads one message (retained ones arrive at once) or gives up after 10 s. */
    static External.Result mosquittoSubOne(int port, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "localhost", "-p", Integer.toString(port),
                "--cafile", chain.file("root-only.crt").toString(), "-v", "-C", "1", "-W", "10"));
        cmd.addAll(certificateArgs(extra));
        return External.run(cmd);
    }

    /** {@code CLIENT:name} becomes {@code --cert name.crt --key name.key} of the chained PKI. */
    private static List<String> certificateArgs(String... extra) {
        List<String> out = new ArrayList<>();
        for (String e : extra) {
            if (e.startsWith("CLIENT:")) {
                String n = e.substring(7);
                out.addAll(List.of("--cert", chain.file(n + ".crt").toString(), "--key", chain.file(n + ".key").toString()));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "jdk"})
    void clientsTrustingOnlyTheRootVerifyTheServer(String provider) {
        System.setProperty("courtier.tls.provider", provider);
        try (Broker broker = start(tls(chain.file("cafile.pem"), false, false, false, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            External.Result py = python(broker.port());
            assertThat(py.exitCode()).as(py.stderr()).isZero();
            assertThat(py.stdout()).startsWith("verified TLSv1.3");

            External.Result s = sClient(broker.port());
            assertThat(s.exitCode()).as(s.stderr()).isZero();
            assertThat(s.stdout()).contains("Verify return code: 0 (ok)");
            // As mosquitto 2.0.11 (OpenSSL's chain building): server, intermediate and root.
            assertThat(count(s.stdout(), "-----BEGIN CERTIFICATE-----")).isEqualTo(3);

            External.Result pub = mosquittoPub(broker.port(), "-t", "t", "-m", "root only");
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
        }
    }

    /** Debian's mosquitto on the same files: the same certificates go out, the same clients verify them. */
    @Test
    void mosquittoSendsTheSameChain() throws Exception {
        // mosquitto started as root reads the files after dropping to its own user
        for (Path p : List.of(dir, chain.dir)) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String f : List.of("server.crt", "server.key", "cafile.pem")) {
            Files.setPosixFilePermissions(chain.file(f),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        int port = External.freePort();
        Path conf = chain.dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\ncertfile "
                + chain.file("server.crt") + "\nkeyfile " + chain.file("server.key") + "\ncafile "
                + chain.file("cafile.pem") + "\n");
        String mosquittoChain;
        try (MosquittoBroker m = MosquittoBroker.onConfig(conf, port)) {
            assertThat(python(port).exitCode()).isZero();
            assertThat(mosquittoPub(port, "-t", "t", "-m", "root only").exitCode()).isZero();
            mosquittoChain = certificates(sClient(port).stdout());
        }
        try (Broker broker = start(tls(chain.file("cafile.pem"), false, false, false, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            assertThat(mosquittoChain).contains("2 s:CN = Courtier Root");
            assertThat(certificates(sClient(broker.port()).stdout())).isEqualTo(mosquittoChain);
        }
    }

    /** The subject and issuer lines of the chain {@code s_client -showcerts} printed. */
    private static String certificates(String sClientOutput) {
        int from = sClientOutput.indexOf("Certificate chain");
        String chainPart = sClientOutput.substring(from, sClientOutput.indexOf("\n---\n", from));
        return String.join("\n", chainPart.lines().filter(l -> l.matches("\\s*(\\d+ s:|i:).*")).map(String::strip)
                .toList());
    }

    @Test
    void withoutTheIntermediateInCafileRootOnlyClientsFailAsWithMosquitto() {
        try (Broker broker = start(tls(chain.file("root-only.crt"), false, false, false, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            External.Result py = python(broker.port());
            assertThat(py.exitCode()).isNotZero();
            assertThat(py.stderr()).contains("unable to get local issuer certificate");
        }
    }

    @Test
    void clientCertificatesIssuedByTheIntermediateGiveTheUserNameAndMeetTheCrl() throws Exception {
        clientCertificates();
        System.setProperty("courtier.tls.provider", "jdk");
        clientCertificates();
    }

    private void clientCertificates() throws Exception {
        Path acl = dir.resolve("chain.acl");
        Files.writeString(acl, "user chained-sensor\ntopic readwrite sensors/#\n"
                + "user CN=chained-sensor,O=Courtier\ntopic readwrite subjects/#\n");
        SecurityConfig security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withAclFile(acl);
        try (Broker broker = start(tls(chain.file("cafile.pem"), true, true, false, chain.file("crl.pem")), security)) {
            int port = broker.port();
            // The ACL lets the certificate's CN alone read and write sensors/#: the retained
            // message comes back only if both clients were named by their certificate.
            External.Result pub = mosquittoPub(port, "CLIENT:sensor", "-r", "-t", "sensors/t", "-m", "21.5");
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
            External.Result sub = mosquittoSubOne(port, "CLIENT:sensor", "-t", "sensors/#");
            assertThat(sub.stdout()).as(sub.stderr()).isEqualTo("sensors/t 21.5\n");
            assertThat(mosquittoPub(port, "CLIENT:revoked", "-t", "sensors/t", "-m", "x").exitCode())
                    .as("revoked by the intermediate's CRL").isNotZero();
            assertThat(mosquittoPub(port, "-t", "sensors/t", "-m", "x").exitCode())
                    .as("require_certificate").isNotZero();
        }
        try (Broker broker = start(tls(chain.file("cafile.pem"), true, false, true, chain.file("crl.pem")), security)) {
            int port = broker.port();
            assertThat(mosquittoPub(port, "CLIENT:sensor", "-r", "-t", "subjects/t", "-m", "by subject").exitCode())
                    .isZero();
            External.Result sub = mosquittoSubOne(port, "CLIENT:sensor", "-t", "subjects/#");
            assertThat(sub.stdout()).as(sub.stderr()).isEqualTo("subjects/t by subject\n");
        }
    }

    /**
     * The Let's Encrypt renewal: certbot writes {@code archive/cert2.pem} and points the
     * {@code live/cert.pem} link at it; new handshakes present it with no restart and no signal.
     */
    @Test
    void aCertificateRenewedOnDiskIsUsedWithoutARestart() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("letsencrypt/archive"));
        Path live = Files.createDirectories(dir.resolve("letsencrypt/live"));
        Files.copy(chain.file("server.crt"), archive.resolve("cert1.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(chain.file("server.key"), archive.resolve("privkey1.pem"), StandardCopyOption.REPLACE_EXISTING);
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("privkey.pem");
        Files.deleteIfExists(cert);
        Files.deleteIfExists(key);
        Files.createSymbolicLink(cert, Path.of("../archive/cert1.pem"));
        Files.createSymbolicLink(key, Path.of("../archive/privkey1.pem"));
        TlsConfig t = new TlsConfig(cert, key, chain.file("cafile.pem"), null, null, null, null, false, false, false,
                null);
        try (Broker broker = start(t, SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            assertThat(sClient(broker.port()).stdout()).contains("subject=CN = localhost");

            Files.copy(chain.file("server2.crt"), archive.resolve("cert2.pem"));
            Path next = live.resolve("cert.pem.new");
            Files.createSymbolicLink(next, Path.of("../archive/cert2.pem"));
            Files.move(next, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    sClient(broker.port()).stdout().contains("subject=O = Renewed, CN = localhost"));
            External.Result pub = mosquittoPub(broker.port(), "-t", "t", "-m", "renewed");
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
        }
    }

    @Test
    void aReloadReadsTheNewCafileAndCertificate() throws Exception {
        Path cafile = dir.resolve("reload-ca.pem");
        Path certfile = dir.resolve("reload-server.crt");
        Files.copy(chain.file("root-only.crt"), cafile, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(chain.file("server.crt"), certfile, StandardCopyOption.REPLACE_EXISTING);
        TlsConfig t = new TlsConfig(certfile, chain.file("server.key"), cafile, null, null, null, null, false, false,
                false, null);
        try (Broker broker = start(t, SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            assertThat(python(broker.port()).exitCode()).as("no intermediate to send yet").isNotZero();

            Files.copy(chain.file("cafile.pem"), cafile, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(chain.file("server2.crt"), certfile, StandardCopyOption.REPLACE_EXISTING);
            assertThat(broker.reload()).isTrue();

            External.Result py = python(broker.port());
            assertThat(py.exitCode()).as(py.stderr()).isZero();
            assertThat(sClient(broker.port()).stdout()).contains("subject=O = Renewed, CN = localhost");
        }
    }
}
