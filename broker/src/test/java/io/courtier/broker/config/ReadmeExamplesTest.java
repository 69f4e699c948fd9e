package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration examples of the README, read from the README itself: each is accepted by
 * Courtier's parser without a warning and by Debian's {@code mosquitto}, and the anonymous /
 * password examples let {@code mosquitto_pub} in or keep it out the same way on both brokers.
 * Only the ports (free ones instead of 1883/1884) and the /etc, /var paths (a temporary
 * directory) are changed.
 */
class ReadmeExamplesTest {

    @TempDir
    Path tmp;
    List<String> examples;

    @BeforeEach
    void readReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("### Examples");
        int to = readme.indexOf("### Directive reference");
        assertThat(from).as("README has the configuration examples").isPositive();
        examples = new ArrayList<>();
        Matcher m = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).hasSize(5);
        Files.writeString(tmp.resolve("acl"), "topic readwrite #\n");
        Files.writeString(tmp.resolve("passwd"), "");
        // mosquitto started as root drops to its own user: let it read the files and write its log.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The example with free ports and temporary paths; {@code ports} receives them in order. */
    private Path localise(String example, String name, List<Integer> ports) throws IOException {
        String text = example.replace("/etc/courtier/", tmp + "/").replace("/var/log/courtier/", tmp + "/");
        for (String p : List.of("1883", "1884")) {
            if (text.contains("listener " + p)) {
                int port = External.freePort();
                ports.add(port);
                text = text.replace("listener " + p, "listener " + port);
            }
        }
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        for (String readable : List.of(name, "acl", "passwd")) {
            Files.setPosixFilePermissions(tmp.resolve(readable),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        return f;
    }

    @Test
    void everyExampleParsesWithoutWarnings() throws Exception {
        for (int i = 0; i < examples.size(); i++) {
            ParsedConfig p = ConfigParser.parse(localise(examples.get(i), "ex" + i + ".conf", new ArrayList<>()));
            assertThat(p.warnings()).as("example %d", i).isEmpty();
        }
        ParsedConfig local = ConfigParser.parse(localise(examples.get(0), "local.conf", new ArrayList<>()));
        assertThat(local.config().localOnly()).isTrue();
    }

    @Test
    void lanAnonymousLetsMosquittoPubInOnBothBrokers() throws Exception {
        External.require("mosquitto");
        External.require("mosquitto_pub");
        List<Integer> ports = new ArrayList<>();
        Path conf = localise(examples.get(1), "lan.conf", ports);
        try (Broker courtier = Broker.start(ConfigParser.parse(conf).config(), "test")) {
            assertThat(pub(courtier.port())).isZero();
        }
        try (MosquittoBroker m = MosquittoBroker.onConfig(conf, ports.get(0))) {
            assertThat(pub(ports.get(0))).isZero();
        }
    }

    @Test
    void passwordProtectedKeepsAnonymousOutOnBothBrokers() throws Exception {
        External.require("mosquitto");
        External.require("mosquitto_pub");
        External.require("mosquitto_passwd");
        Process pw = new ProcessBuilder("mosquitto_passwd", "-b", tmp.resolve("passwd").toString(), "sondes",
                "mot2passe").redirectErrorStream(true).start();
        assertThat(pw.waitFor(10, TimeUnit.SECONDS) && pw.exitValue() == 0).isTrue();
        List<Integer> ports = new ArrayList<>();
        Path conf = localise(examples.get(2), "passwd.conf", ports);
        try (Broker courtier = Broker.start(ConfigParser.parse(conf).config(), "test")) {
            assertThat(pub(courtier.port())).isNotZero();
        }
        try (MosquittoBroker m = MosquittoBroker.onConfig(conf, ports.get(0))) {
            assertThat(pub(ports.get(0))).isNotZero();
            assertThat(pub(ports.get(0), "-u", "sondes", "-P", "mot2passe")).isZero();
            assertThat(pub(ports.get(0), "-u", "sondes", "-P", "wrong")).isNotZero();
        }
    }

    @Test
    void perListenerAndLoggingExamplesStartMosquitto() throws Exception {
        External.require("mosquitto");
        for (int i : new int[] {3, 4}) {
            List<Integer> ports = new ArrayList<>();
            Path conf = localise(examples.get(i), "ex" + i + ".conf", ports);
            try (MosquittoBroker m = MosquittoBroker.onConfig(conf, ports.get(ports.size() - 1))) {
                assertThat(m.isRunning()).isTrue();
            }
            try (Broker courtier = Broker.start(ConfigParser.parse(conf).config(), "test")) {
                assertThat(courtier.boundAddresses()).hasSize(ports.size());
            }
        }
    }

    private static int pub(int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "ctrlled", "-m", "1"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
