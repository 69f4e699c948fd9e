package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.Broker;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration lines as the Raspberry Pi tutorial and Mosquitto's own migration guide
 * print them, trailing comments included, started by Courtier and by Debian's mosquitto 2.0.11:
 * both listen, or both refuse the file. Only the ports are free ones instead of 1883/9001 and
 * the paths a temporary directory.
 */
class TutorialLinesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void readableByMosquitto() throws Exception {
        // mosquitto started as root drops to its own user: let it read the files.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** Writes the file with PORT1, PORT2... replaced by free ports, which go into {@code ports}. */
    private Path conf(List<Integer> ports, String... lines) throws Exception {
        String text = String.join("\n", lines).replace("TMP", tmp.toString()) + "\n";
        for (int i = 1; text.contains("PORT" + i); i++) {
            int port = External.freePort();
            ports.add(port);
            text = text.replace("PORT" + i, Integer.toString(port));
        }
        Path f = tmp.resolve("tutorial" + System.nanoTime() + ".conf");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        return f;
    }

    private static int anonymousPublish(int port) {
        return External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t",
                "tutorial", "-m", "1")).exitCode();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Both brokers listen on every port and treat an anonymous mosquitto_pub alike; returns its exit code. */
    private int bothListen(Path conf, List<Integer> ports) throws Exception {
        int courtierPub;
        try (Broker courtier = Broker.start(ConfigParser.parse(conf).config(), "test")) {
            assertThat(ports).allMatch(TutorialLinesTest::listening);
            courtierPub = anonymousPublish(ports.get(0));
        }
        try (MosquittoBroker m = MosquittoBroker.onConfig(conf, ports.get(0))) {
            assertThat(ports).allMatch(TutorialLinesTest::listening);
            assertThat(anonymousPublish(ports.get(0))).as("mosquitto_pub exit code").isEqualTo(courtierPub);
        }
        return courtierPub;
    }

    @Test
    void lanAnonymousWithTheTutorialsComments() throws Exception {
        List<Integer> ports = new ArrayList<>();
        Path f = conf(ports, "allow_anonymous true # A modifier : false -> true", "listener PORT1 # A ajouter");
        assertThat(bothListen(f, ports)).as("anonymous clients are let in").isZero();
    }

    @Test
    void portPlusWebSocketsListenerWithComments() throws Exception {
        List<Integer> ports = new ArrayList<>();
        Path f = conf(ports, "allow_anonymous true # A modifier : false -> true", "port PORT1      # A ajouter",
                "listener PORT2 # A ajouter", "protocol websockets # A ajouter");
        assertThat(bothListen(f, ports)).isZero();
    }

    @Test
    void migrationGuidesListenerLineRefusesAnonymousClients() throws Exception {
        List<Integer> ports = new ArrayList<>();
        Path f = conf(ports, "listener PORT1 # Note that this will not allow anonymous access by default.");
        assertThat(bothListen(f, ports)).as("Connection Refused: not authorised").isEqualTo(5);
    }

    @Test
    void persistenceAndAListenerAddressWithComments() throws Exception {
        List<Integer> ports = new ArrayList<>();
        Path f = conf(ports, "listener PORT1 127.0.0.1 # A ajouter", "allow_anonymous true # A modifier",
                "persistence true # Enregistre les messages", "persistence_location TMP/ # ici",
                "max_inflight_messages 20 # par client", "log_type all # tout");
        assertThat(bothListen(f, ports)).isZero();
        // Mosquitto would save to "TMP/ # ici/mosquitto.db", a directory that does not exist;
        // Courtier drops the comment and keeps its store where the line says.
        assertThat(tmp.resolve("mosquitto.db")).exists();
    }

    @Test
    void aBadValueWithACommentIsRefusedByBoth() throws Exception {
        Path f = conf(new ArrayList<>(), "listener PORT1 # A ajouter", "allow_anonymous yes # A modifier");
        assertThat(MosquittoBroker.refuses(f)).contains("Error found at " + f + ":2.");
        assertThatThrownBy(() -> ConfigParser.parse(f))
                .hasMessage(f + ":2: Invalid allow_anonymous value (yes): must be true or false.");
    }
}
