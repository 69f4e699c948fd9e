package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.config.ParsedConfig;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "TLS with client certificates" example, read from the README: the same file runs
 * on Courtier (through the configuration parser) and on Debian's mosquitto, and the README's
 * mosquitto_pub command gets in on both, while a client without a certificate does not. Only
 * the port and the /etc paths change.
 */
class ReadmeTlsExampleTest {

    @TempDir
    Path dir;

    @Test
    void tlsExampleRunsUnchangedOnCourtierAndOnMosquitto() throws Exception {
        External.require("mosquitto");
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("### TLS");
        int to = readme.indexOf("### Reloading (SIGHUP)");
        assertThat(from).isPositive();
        Matcher m = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
        assertThat(m.find()).isTrue();
        String conf = m.group(1);
        assertThat(m.find()).isTrue();
        String command = m.group(1).strip().replaceFirst("^\\$ ", "");

        TestCertificates pki = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        Files.writeString(dir.resolve("acl"), "user sensor-1\ntopic readwrite sensors/#\n");
        // mosquitto started as root reads its files as the 'mosquitto' user
        for (Path p : List.of(dir, pki.dir)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var files = Files.list(pki.dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        int port = External.freePort();
        Path file = dir.resolve("tls.conf");
        Files.writeString(file, conf.replace("/etc/courtier/", dir + "/").replace("listener 8883", "listener " + port));

        List<String> pub = new ArrayList<>();
        for (String word : command.split(" +")) {
            pub.add(switch (word) {
                case "broker.lan" -> "localhost";
                case "8883" -> String.valueOf(port);
                case "ca.crt", "sensor.crt", "sensor.key" -> pki.file(word).toString();
                default -> word;
            });
        }
        List<String> noCertificate = List.of("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(port),
                "--cafile", pki.file("ca.crt").toString(), "-t", "sensors/t", "-m", "1");

        ParsedConfig parsed = ConfigParser.parse(file);
        assertThat(parsed.warnings()).isEmpty();
        try (Broker broker = Broker.start(parsed.config(), "test")) {
            External.Result r = External.run(pub);
            assertThat(r.exitCode()).as("on Courtier: %s", r.stderr()).isZero();
            assertThat(External.run(noCertificate).exitCode()).isNotZero();
        }

        try (MosquittoBroker debian = MosquittoBroker.onConfig(file, port)) {
            External.Result r = External.run(pub);
            assertThat(r.exitCode()).as("on mosquitto: %s", r.stderr()).isZero();
            assertThat(External.run(noCertificate).exitCode()).isNotZero();
        }
    }
}
