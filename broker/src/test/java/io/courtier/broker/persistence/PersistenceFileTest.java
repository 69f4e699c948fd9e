package io.courtier.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.Paho;
import io.courtier.broker.testing.TestBroker;
import io.courtier.codec.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persistence_file} keeps its Mosquitto meaning: a regular file that stands for the
 * broker's state. Kept, the state is kept; deleted with the broker stopped, the broker starts
 * afresh; a store in the earlier layout (a RocksDB directory at that path) still opens.
 */
class PersistenceFileTest {

    @TempDir
    Path tmp;

    private TestBroker courtier() {
        return PersistenceFixtures.onMosquittoDb(tmp);
    }

    /** Leaves a retained message and an offline persistent session with a queued message. */
    private void someState() throws Exception {
        try (TestBroker b = courtier()) {
            MqttClient sub = Paho.client(b, "keeper", new Paho.Inbox());
            MqttConnectOptions o = Paho.options();
            o.setCleanSession(false);
            sub.connect(o);
            sub.subscribe("kept/#", 1);
            sub.disconnect();
            sub.close();
            MqttClient pub = Paho.connect(b, "pub", new Paho.Inbox());
            pub.publish("kept/retained", "r".getBytes(StandardCharsets.UTF_8), 1, true);
            pub.publish("kept/queued", "q".getBytes(StandardCharsets.UTF_8), 1, false);
            Paho.closeQuietly(pub);
        }
    }

    /** What a returning client finds: whether its session was there, and what arrived. */
    private record Found(boolean sessionPresent, java.util.List<String> messages) {
    }

    private Found whatKeeperFinds(TestBroker b) throws Exception {
        Paho.Inbox kept = new Paho.Inbox();
        MqttClient keeper = Paho.client(b, "keeper", kept);
        MqttConnectOptions o = Paho.options();
        o.setCleanSession(false);
        boolean present = keeper.connectWithResult(o).getSessionPresent();
        Paho.Inbox seen = new Paho.Inbox();
        MqttClient reader = Paho.connect(b, "reader", seen);
        reader.subscribe("kept/#", 1);
        // Published after both sessions were served: once it has arrived, whatever was there before has too.
        reader.publish("kept/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.payloads().contains("marker")
                && (!present || kept.payloads().contains("marker")));
        java.util.List<String> got = new java.util.ArrayList<>();
        kept.payloads().stream().filter(p -> !p.equals("marker")).forEach(got::add);
        seen.messages().stream().filter(Paho.Received::retained).forEach(m -> got.add("retained:" + m.payload()));
        Paho.closeQuietly(reader);
        Paho.closeQuietly(keeper);
        return new Found(present, got);
    }

    @Test
    void thePersistenceFileIsARegularFileAndKeepingItKeepsTheState() throws Exception {
        someState();
        Path file = tmp.resolve("mosquitto.db");
        assertThat(file).isRegularFile();
        assertThat(Files.readString(file)).startsWith(PersistenceFile.ANCHOR_HEADER)
                .contains("store: mosquitto.db.courtier");
        assertThat(tmp.resolve("mosquitto.db.courtier")).isDirectory();
        try (TestBroker b = courtier()) {
            Found found = whatKeeperFinds(b);
            assertThat(found.sessionPresent()).isTrue();
            assertThat(found.messages()).contains("q", "retained:r");
        }
    }

    @Test
    void deletingThePersistenceFileStartsAfreshAsWithMosquitto() throws Exception {
        someState();
        Files.delete(tmp.resolve("mosquitto.db"));
        try (LogCapture log = LogCapture.broker(); TestBroker b = courtier()) {
            assertThat(log.contains("starts afresh")).isTrue();
            Found found = whatKeeperFinds(b);
            assertThat(found.sessionPresent()).isFalse();
            assertThat(found.messages()).isEmpty();
        }
        assertThat(tmp.resolve("mosquitto.db")).isRegularFile();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("mosquitto.db.courtier.discarded-"));
        }
    }

    @Test
    void aStoreInTheEarlierLayoutMovesBesideItsNewAnchor() throws Exception {
        Path file = tmp.resolve("mosquitto.db");
        try (RocksDbStore old = RocksDbStore.open(file, null)) { // the RocksDB directory at the file's path
            byte[] retained = RetainedCodec.encode(new RetainedMessage("kept/retained",
                    "r".getBytes(StandardCharsets.UTF_8), 1, Properties.NONE, System.currentTimeMillis(), 0));
            old.submit(batch -> batch.putRetained("kept/retained", retained), null, null);
        }
        assertThat(file).isDirectory();
        try (TestBroker b = courtier()) {
            assertThat(whatKeeperFinds(b).messages()).containsExactly("retained:r");
        }
        assertThat(file).isRegularFile();
        assertThat(tmp.resolve("mosquitto.db.courtier").resolve("CURRENT")).isRegularFile();
    }

    @Test
    void aFileThatIsNeitherMosquittosNorOursIsNotOverwritten() throws Exception {
        Path file = tmp.resolve("mosquitto.db");
        Files.writeString(file, "my notes\n");
        assertThatThrownBy(this::courtier).isInstanceOf(StoreException.class)
                .hasMessageContaining("neither a Mosquitto persistence file nor Courtier's anchor");
        assertThat(Files.readString(file)).isEqualTo("my notes\n");
    }
}
