package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.courtier;
import static io.courtier.broker.bridge.BridgeFixture.paho;
import static io.courtier.broker.bridge.BridgeFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.persistence.BrokerProcess;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.Paho;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The issue's faults, each against Debian's mosquitto as the remote broker with persistence on,
 * and a persistent subscriber there ("sink") that reconnects with the same Paho client: the remote
 * stopped under a stream and started again, the remote down when the bridge starts, and the
 * bridging Courtier killed with -9 mid-stream. Every message Courtier acknowledged must reach
 * the sink; at QoS 2, once.
 */
class BridgeFaultTest {

    @TempDir
    Path dir;

    /** The remote broker on a fixed port, with persistence, so that it can be stopped and started again. */
    private final class Remote implements AutoCloseable {
        final int port;
        final Path conf;
        MosquittoBroker process;

        Remote() throws Exception {
            port = MosquittoBroker.freePort();
            Path data = Files.createDirectories(dir.resolve("remote"));
            conf = MosquittoBroker.config(dir, port, "persistence true", "persistence_location " + data + "/");
        }

        Remote start() throws Exception {
            process = MosquittoBroker.onConfig(conf, port);
            return this;
        }

        void stop() throws Exception {
            process.stop();
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }

    /** A persistent subscriber on the remote broker, reconnected with the same Paho client (its QoS 2 state kept). */
    private static final class Sink implements AutoCloseable {
        final Paho.Inbox inbox = new Paho.Inbox();
        final MqttClient client;
        final MqttConnectOptions options = Paho.options();

        Sink(int port, int qos) throws Exception {
            options.setCleanSession(false);
            options.setMaxInflight(1000);
            client = paho(port, "sink", inbox, false);
            client.subscribe("pi42/stream/#", qos);
        }

        void reconnect() throws Exception {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                if (!client.isConnected()) {
                    client.connect(options);
                }
                return true;
            });
        }

        Set<Integer> numbers() {
            return inbox.payloads().stream().filter(p -> !p.startsWith("probe")).map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        Map<Integer, Integer> counts() {
            Map<Integer, Integer> n = new HashMap<>();
            inbox.payloads().stream().filter(p -> !p.startsWith("probe")).map(Integer::valueOf)
                    .forEach(i -> n.merge(i, 1, Integer::sum));
            return n;
        }

        @Override
        public void close() {
            Paho.closeQuietly(client);
        }
    }

    private static String[] bridge(int remotePort, int qos, String... more) {
        List<String> lines = new java.util.ArrayList<>(List.of("connection school", "address 127.0.0.1:" + remotePort,
                "topic stream/# out " + qos + " \"\" pi42/", "remote_clientid pi42", "cleansession false",
                "restart_timeout 1"));
        lines.addAll(List.of(more));
        return lines.toArray(new String[0]);
    }

    private static void stream(MqttClient publisher, int from, int to, int qos) throws Exception {
        for (int i = from; i <= to; i++) {
            publish(publisher, "stream/n", Integer.toString(i), qos, false); // returns once Courtier acknowledged
        }
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theRemoteStoppedUnderAStreamGetsEveryAcknowledgedMessageWhenItIsBack(int qos) throws Exception {
        try (Remote remote = new Remote().start(); Sink sink = new Sink(remote.port, qos);
             Broker local = courtier(dir, bridge(remote.port, qos))) {
            Paho.Inbox state = new Paho.Inbox();
            MqttClient publisher = paho(local.port(), "publisher", state, true);
            try {
                publisher.subscribe("$SYS/broker/connection/pi42/state", 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> local.bridges().get(0).connected());
                stream(publisher, 1, 100, qos);
                remote.stop(); // mid-stream: some of these are still on their way
                await().atMost(Duration.ofSeconds(30)).until(() -> !local.bridges().get(0).connected());
                // The notification here says so: 1 while it was up, then 0.
                await().atMost(Duration.ofSeconds(10)).until(() -> state.payloads().equals(List.of("1", "0"))
                        || state.payloads().equals(List.of("0", "1", "0")));
                stream(publisher, 101, 200, qos); // queued by the bridge's session meanwhile
                remote.start();
                sink.reconnect();
                stream(publisher, 201, 300, qos);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(
                        () -> assertThat(sink.numbers()).containsAll(range(1, 300)));
                if (qos == 2) {
                    assertThat(sink.counts()).allSatisfy((n, times) -> assertThat(times).as("message " + n).isOne());
                }
            } finally {
                Paho.closeQuietly(publisher);
            }
        }
    }

    @Test
    void aRemoteDownAtStartUpIsReachedOnceItComesUp() throws Exception {
        try (Remote remote = new Remote().start()) {
            try (Sink first = new Sink(remote.port, 1)) {
                first.client.disconnect();
            }
            remote.stop(); // the sink's subscription stays in mosquitto's persistence file
            try (Broker local = courtier(dir, bridge(remote.port, 1))) {
                MqttClient publisher = paho(local.port(), "publisher", new Paho.Inbox(), true);
                try {
                    stream(publisher, 1, 50, 1); // nobody to forward to yet: the bridge's session queues them
                    assertThat(local.bridges().get(0).connected()).isFalse();
                    remote.start();
                    try (Sink sink = new Sink(remote.port, 1)) {
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                                () -> assertThat(sink.numbers()).containsAll(range(1, 50)));
                    }
                } finally {
                    Paho.closeQuietly(publisher);
                }
            }
        }
    }

    @Test
    void killingTheBridgingBrokerWithPersistenceLosesNothing() throws Exception {
        try (Remote remote = new Remote().start(); Sink sink = new Sink(remote.port, 1)) {
            Path data = Files.createDirectories(dir.resolve("courtier"));
            Path conf = dir.resolve("courtier.conf");
            List<String> lines = new java.util.ArrayList<>(List.of("listener 0 127.0.0.1", "allow_anonymous true",
                    "persistence true", "persistence_location " + data + "/"));
            lines.addAll(List.of(bridge(remote.port, 1)));
            Files.writeString(conf, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Path log = dir.resolve("courtier.log");
            try (BrokerProcess first = BrokerProcess.start(log, ChildCourtier.class, conf.toString())) {
                MqttClient publisher = paho(first.port, "publisher", new Paho.Inbox(), true);
                try {
                    stream(publisher, 1, 100, 1);
                    remote.stop();
                    stream(publisher, 101, 200, 1); // acknowledged, so on Courtier's disk
                } finally {
                    Paho.closeQuietly(publisher);
                }
                first.kill();
            }
            try (BrokerProcess second = BrokerProcess.start(log, ChildCourtier.class, conf.toString())) {
                remote.start();
                sink.reconnect();
                MqttClient publisher = paho(second.port, "publisher", new Paho.Inbox(), true);
                try {
                    stream(publisher, 201, 250, 1);
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(
                            () -> assertThat(sink.numbers()).containsAll(range(1, 250)));
                } finally {
                    Paho.closeQuietly(publisher);
                }
                second.stop();
            }
        }
    }
}
