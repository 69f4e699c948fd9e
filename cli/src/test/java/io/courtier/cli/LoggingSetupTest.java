package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.LogDestination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The logging directives change what is logged, where, and how lines look. */
class LoggingSetupTest {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    @TempDir
    Path tmp;

    @AfterEach
    void restoreDefaults() {
        LoggingSetup.apply(BrokerConfig.defaults(), false);
    }

    private static BrokerConfig.Builder logTo(Path file) {
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.logDest = List.of(LogDestination.file(file));
        return b;
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void defaultLineIsEpochSecondsColonMessage() throws Exception {
        Path log = tmp.resolve("broker.log");
        LoggingSetup.apply(logTo(log).build(), false);
        long before = System.currentTimeMillis() / 1000;
        LOG.info("New client connected from 127.0.0.1:5000 as c1 (p2, c1, k60).");
        List<String> lines = lines(log);
        assertThat(lines).hasSize(1);
        String[] parts = lines.get(0).split(": ", 2);
        assertThat(Long.parseLong(parts[0])).isBetween(before, before + 5);
        assertThat(parts[1]).isEqualTo("New client connected from 127.0.0.1:5000 as c1 (p2, c1, k60).");
    }

    @Test
    void timestampFormatAndNoTimestamp() throws Exception {
        Path log = tmp.resolve("fmt.log");
        BrokerConfig.Builder b = logTo(log);
        b.logTimestampFormat = "%Y-%m-%dT%H:%M:%S";
        LoggingSetup.apply(b.build(), false);
        LOG.info("formatted");
        assertThat(lines(log)).singleElement().asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: formatted");

        Path plain = tmp.resolve("plain.log");
        b = logTo(plain);
        b.logTimestamp = false;
        LoggingSetup.apply(b.build(), false);
        LOG.info("bare");
        assertThat(lines(plain)).containsExactly("bare");
    }

    @Test
    void logTypeChoosesWhatIsWritten() throws Exception {
        Path log = tmp.resolve("types.log");
        BrokerConfig.Builder b = logTo(log);
        b.logTimestamp = false;
        b.logTypes = Set.of("error", "warning");
        LoggingSetup.apply(b.build(), false);
        LOG.debug("a debug line");
        LOG.info("an information line");
        LOG.warn("a warning line");
        LOG.error("an error line");
        assertThat(lines(log)).containsExactly("a warning line", "an error line");
    }

    @Test
    void verboseLogsEverythingWhateverTheFileSays() throws Exception {
        Path log = tmp.resolve("verbose.log");
        BrokerConfig.Builder b = logTo(log);
        b.logTimestamp = false;
        b.logTypes = Set.of("error");
        LoggingSetup.apply(b.build(), true);
        LOG.debug("a debug line");
        LOG.info("an information line");
        assertThat(lines(log)).containsExactly("a debug line", "an information line");
    }

    @Test
    void logDestNoneWritesNothing() throws Exception {
        Path log = tmp.resolve("none.log");
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.logDest = List.of();
        LoggingSetup.apply(b.build(), false);
        LOG.error("nowhere");
        assertThat(log).doesNotExist();
    }

    @Test
    void reopenAfterRotationWritesANewFile() throws Exception {
        Path log = tmp.resolve("rotate.log");
        BrokerConfig.Builder b = logTo(log);
        b.logTimestamp = false;
        LoggingSetup.apply(b.build(), false);
        LOG.info("before");
        Files.move(log, tmp.resolve("rotate.log.1"));
        LoggingSetup.reopenFiles();
        LOG.info("after");
        assertThat(lines(log)).containsExactly("after");
        assertThat(lines(tmp.resolve("rotate.log.1"))).containsExactly("before");
    }

    @Test
    void logDestTopicPublishesOnSysBrokerLog() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        b.logDest = List.of(LogDestination.TOPIC);
        BrokerConfig config = b.build();
        LoggingSetup.apply(config, false);
        try (Broker broker = Broker.start(config, "test")) {
            LoggingSetup.attach(broker.ingest());
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), "logwatch", new MemoryPersistence());
            c.connect(new MqttConnectOptions());
            BlockingQueue<String> got = new ArrayBlockingQueue<>(100);
            c.subscribe("$SYS/broker/log/#", 0,
                    (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                LOG.warn("disk nearly full");
                String line = got.poll(200, TimeUnit.MILLISECONDS);
                while (line != null && !line.startsWith("$SYS/broker/log/W")) {
                    line = got.poll(200, TimeUnit.MILLISECONDS);
                }
                return "$SYS/broker/log/W disk nearly full".equals(line);
            });
            c.disconnect();
            c.close();
        }
    }
}
