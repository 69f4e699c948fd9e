package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up {@code courtier broker} runs as its listeners open: messages really go through
 * decode, route and write, connections really connect, subscribe and leave, yet the broker a
 * client reaches has none of it: no retained message, no subscription, no client or message in
 * {@code $SYS}, no line in the log.
 */
class WarmupTest {

    @TempDir
    Path dir;

    @Test
    void theWarmupStreamsMessagesAndOpensConnectionsThroughAPrivateBroker() {
        Warmup.Result result = Warmup.run(200, 3 * Warmup.BATCH);
        assertThat(result.messages()).as("messages delivered to the warm-up's subscriber").isPositive();
        // Its budget ends it only between batches: at least one batch connected, subscribed and left.
        assertThat(result.connections()).as("connections made").isBetween(Warmup.BATCH, 3 * Warmup.BATCH);
        assertThat(Warmup.run(0, 100)).isEqualTo(Warmup.Result.NONE);
    }

    @Test
    void theWarmupCanBeTurnedOff() {
        String before = System.getProperty("courtier.warmup");
        try {
            System.setProperty("courtier.warmup", "0");
            assertThat(Warmup.messages()).isZero();
            System.setProperty("courtier.warmup", "off");
            assertThat(Warmup.messages()).isZero();
            System.setProperty("courtier.warmup", "100");
            assertThat(Warmup.messages()).isEqualTo(100);
            System.clearProperty("courtier.warmup");
            assertThat(Warmup.messages()).isEqualTo(Warmup.DEFAULT_MESSAGES);
            assertThat(Warmup.connections()).isEqualTo(Warmup.DEFAULT_CONNECTIONS);
            System.setProperty("courtier.warmup.connections", "1000");
            assertThat(Warmup.connections()).isEqualTo(1000);
        } finally {
            System.clearProperty("courtier.warmup.connections");
            if (before == null) {
                System.clearProperty("courtier.warmup");
            } else {
                System.setProperty("courtier.warmup", before);
            }
        }
    }

    @Test
    void theBrokerAClientReachesHasNoTraceOfTheWarmup() throws Exception {
        int port = External.freePort();
        Path conf = dir.resolve("courtier.conf");
        Path logFile = dir.resolve("courtier.log");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nsys_interval 1\n"
                + "log_dest file " + logFile + "\nlog_type all\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process broker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "broker", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.out").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                }
            });
            MqttClient probe = new MqttClient("tcp://127.0.0.1:" + port, "probe", new MemoryPersistence());
            probe.connect(new MqttConnectOptions());
            probe.publish("probe/marker", "here".getBytes(StandardCharsets.UTF_8), 1, true);
            List<String> retained = new CopyOnWriteArrayList<>();
            probe.subscribe("#", 1, (topic, m) -> retained.add(topic));
            // Retained messages come with the SUBSCRIBE: once the probe's own arrived, all did.
            await().atMost(Duration.ofSeconds(10)).until(() -> retained.contains("probe/marker"));
            assertThat(retained).containsExactly("probe/marker");

            Map<String, String> sys = new ConcurrentHashMap<>();
            probe.subscribe("$SYS/broker/#", 0, (topic, m) -> sys.put(topic, new String(m.getPayload(),
                    StandardCharsets.UTF_8)));
            // Published every second (sys_interval 1): the probe is the only client, its two
            // subscriptions the only ones, its marker the only PUBLISH received.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(sys.get("$SYS/broker/clients/total")).isEqualTo("1");
                assertThat(sys.get("$SYS/broker/subscriptions/count")).isEqualTo("2");
                assertThat(sys.get("$SYS/broker/publish/messages/received")).isEqualTo("1");
            });
            probe.disconnect();
            probe.close();

            String log = Files.readString(logFile);
            assertThat(log).contains("running", "New client connected").doesNotContainIgnoringCase("warmup");
            assertThat(log.split("starting", -1)).as("one broker started, as far as the log says").hasSize(2);
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
