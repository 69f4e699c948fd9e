package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.LogDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log_type subscribe} / {@code unsubscribe} write mosquitto 2.0.11's lines
 * ("s1 2 a/+" and "s1 a/+", checked side by side with Debian's mosquitto), and the default
 * types do not.
 */
class LogTypeSubscribeTest {

    @TempDir
    Path tmp;

    @AfterEach
    void restoreDefaults() {
        LoggingSetup.apply(BrokerConfig.defaults(), false);
    }

    private List<String> subscribeAndUnsubscribe(Set<String> types) throws Exception {
        Path log = tmp.resolve(String.join("-", types) + ".log");
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        b.logDest = List.of(LogDestination.file(log));
        b.logTimestamp = false;
        b.logTypes = types;
        BrokerConfig config = b.build();
        LoggingSetup.apply(config, false);
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), "s1", new MemoryPersistence());
            c.connect(new MqttConnectOptions());
            c.subscribe(new String[] {"a/+", "b/#"}, new int[] {2, 1});
            c.unsubscribe("a/+");
            c.disconnect();
            c.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("Client s1 disconnected")
                    || types.equals(Set.of("subscribe", "unsubscribe")) && Files.readString(log).contains("s1 a/+"));
        }
        return Files.readAllLines(log);
    }

    @Test
    void subscribeAndUnsubscribeTypesWriteMosquittosLines() throws Exception {
        assertThat(subscribeAndUnsubscribe(Set.of("subscribe", "unsubscribe")))
                .containsExactly("s1 2 a/+", "s1 1 b/#", "s1 a/+");
    }

    @Test
    void defaultTypesLeaveThemOut() throws Exception {
        assertThat(subscribeAndUnsubscribe(Set.of("error", "warning", "notice", "information")))
                .contains("Client s1 disconnected.")
                .doesNotContain("s1 2 a/+", "s1 1 b/#", "s1 a/+");
    }
}
