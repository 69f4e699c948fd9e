package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against Debian's mosquitto: ws:// URLs on its WebSocket listener; --remove-retained really
 * clears; -c -E makes a session that collects messages while the subscriber is away.
 */
class MosquittoBrokerToolsTest {

    @Test
    void pubAndSubOverWebSocket() throws Exception {
        int wsPort = External.freePort();
        try (MosquittoBroker broker = MosquittoBroker.inTempDir("listener " + wsPort + " 127.0.0.1", "protocol websockets")) {
            broker.awaitListening(wsPort);
            String tcp = Integer.toString(broker.port());
            Run.Proc sub = Run.mosquitto("mosquitto_sub", "-p", tcp, "-t", "ws/in", "-C", "1", "-v", "-i", "ws-watch");
            broker.awaitSubscribed("ws-watch");
            Run.Result pub = Run.courtierPub("-L", "ws://127.0.0.1:" + wsPort + "/ws/in", "-m", "via websocket", "-q", "1");
            assertThat(pub.status()).as(pub.stderr()).isZero();
            assertThat(sub.await().out()).isEqualTo("ws/in via websocket\n");

            Run.Sub courtier = Run.courtierSub("-L", "ws://127.0.0.1:" + wsPort + "/ws/out", "-C", "1", "-q", "2");
            courtier.subscriber.subscribed().get(10, TimeUnit.SECONDS);
            assertThat(Run.mosquittoNow("mosquitto_pub", "-p", tcp, "-t", "ws/out", "-m", "back", "-q", "2").status())
                    .isZero();
            assertThat(courtier.await().out()).isEqualTo("back\n");
        }
    }

    @Test
    void removeRetainedClearsWhatItPrintsAsMosquittoSubDoes() {
        try (MosquittoBroker broker = MosquittoBroker.inTempDir()) {
            String port = Integer.toString(broker.port());
            String[] flags = {"-p", port, "-t", "keep/#", "-T", "keep/skip", "--remove-retained", "-v", "-W", "1"};
            for (boolean courtier : new boolean[] {false, true}) {
                for (String t : new String[] {"keep/a", "keep/b", "keep/skip"}) {
                    assertThat(Run.mosquittoNow("mosquitto_pub", "-p", port, "-t", t, "-m", t, "-r").status()).isZero();
                }
                Run.Result r = courtier ? Run.courtierSub(flags).await() : Run.mosquittoNow("mosquitto_sub", flags);
                // Its own clearing messages come back as fresh empty ones, printed as "(null)".
                assertThat(r.out()).as(courtier ? "courtier sub" : "mosquitto_sub")
                        .isEqualTo("keep/a keep/a\nkeep/b keep/b\nkeep/a (null)\nkeep/b (null)\n");
                assertThat(r.status()).isEqualTo(27);
                Run.Result left = Run.mosquittoNow("mosquitto_sub", "-p", port, "-t", "keep/#", "-v", "-W", "1");
                assertThat(left.out()).isEqualTo("keep/skip keep/skip\n");
            }
        }
    }

    @Test
    void persistentSessionCollectsMessagesWhileAway() {
        try (MosquittoBroker broker = MosquittoBroker.inTempDir()) {
            String port = Integer.toString(broker.port());
            for (String version : new String[] {"mqttv311", "mqttv5"}) {
                String id = "away-" + version;
                String topic = "away/" + version;
                Run.Result made = Run.courtierSub("-p", port, "-V", version, "-c", "-i", id, "-q", "1", "-t", topic, "-E")
                        .await();
                assertThat(made.status()).as(made.stderr()).isZero();
                assertThat(Run.courtierPub("-p", port, "-t", topic, "-m", "while away", "-q", "1").status()).isZero();
                Run.Result back = Run.courtierSub("-p", port, "-V", version, "-c", "-i", id, "-q", "1", "-t", topic,
                        "-C", "1", "-v").await();
                assertThat(back.out()).isEqualTo(topic + " while away\n");
            }
        }
    }

    @Test
    void userDefaultsFileIsReadAsMosquittoSubReadsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path xdg)
            throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.inTempDir()) {
            String port = Integer.toString(broker.port());
            for (String t : new String[] {"defaults/a", "defaults/b"}) {
                assertThat(Run.mosquittoNow("mosquitto_pub", "-p", port, "-t", t, "-m", t + " value", "-r").status())
                        .isZero();
            }
            java.nio.file.Files.writeString(xdg.resolve("mosquitto_sub"),
                    "-v\n# a comment\n-p " + port + "\n-t defaults/#\n-C 1\n");
            java.nio.file.Files.setPosixFilePermissions(xdg, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            // The command line's -C 2 overrides the file's -C 1; -v, -p and -t come from the file.
            Run.Result mosquitto = new Run.Proc(null, java.util.Map.of("XDG_CONFIG_HOME", xdg.toString()),
                    "mosquitto_sub", "-C", "2").await();
            List<String> defaults = ClientDefaults.read(
                    ClientDefaults.file(ClientConfig.Tool.SUB, java.util.Map.of("XDG_CONFIG_HOME", xdg.toString())));
            Run.Result courtier = new Run.Sub(defaults, "-C", "2").await();
            assertThat(courtier.out()).isEqualTo(mosquitto.out()).isEqualTo("defaults/a defaults/a value\ndefaults/b defaults/b value\n");
        }
    }

    @Test
    void sigtermDisconnectsCleanlySoNoWillIsSent() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.inTempDir()) {
            String port = Integer.toString(broker.port());
            Run.Proc watcher = Run.mosquitto("mosquitto_sub", "-p", port, "-t", "will/sig", "-i", "will-watcher", "-W", "3");
            broker.awaitSubscribed("will-watcher");
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", cp, "io.courtier.cli.Main", "sub", "-p", port, "-t", "anything", "-i", "sig-child",
                    "--will-topic", "will/sig", "--will-payload", "died")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            broker.awaitSubscribed("sig-child");
            child.destroy(); // SIGTERM, as mosquitto_sub: DISCONNECT, exit 0
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            Run.Result r = watcher.await();
            assertThat(r.out()).as("no will").isEmpty();
            assertThat(r.status()).isEqualTo(27);
        }
    }
}
