package io.courtier.broker.bridge;

import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.Paho;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Courtier started on a mosquitto.conf of the test's own (so bridges are read as users write them), and Paho clients. */
final class BridgeFixture {

    private BridgeFixture() {
    }

    /** Courtier on port 0 with {@code lines} after the listener. */
    static Broker courtier(Path dir, String... lines) throws Exception {
        List<String> all = new ArrayList<>(List.of("listener 0 127.0.0.1", "allow_anonymous true"));
        all.addAll(List.of(lines));
        Path conf = Files.createTempFile(dir, "courtier", ".conf");
        Files.writeString(conf, String.join("\n", all) + "\n", StandardCharsets.UTF_8);
        return Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    /** A Paho client on each side of a bridge ("here" and "there"), each with its inbox; closed together. */
    static final class Ends implements AutoCloseable {
        final Paho.Inbox here = new Paho.Inbox();
        final Paho.Inbox there = new Paho.Inbox();
        final MqttClient h;
        final MqttClient t;

        Ends(int herePort, int therePort) throws MqttException {
            h = paho(herePort, "here", here, true);
            try {
                t = paho(therePort, "there", there, true);
            } catch (MqttException e) {
                Paho.closeQuietly(h);
                throw e;
            }
        }

        @Override
        public void close() {
            Paho.closeQuietly(h);
            Paho.closeQuietly(t);
        }
    }

    static MqttClient paho(int port, String id, Paho.Inbox inbox, boolean clean) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.setTimeToWait(10_000);
        c.setCallback(inbox);
        MqttConnectOptions o = Paho.options();
        o.setCleanSession(clean);
        // Paho counts a message in flight a little after its synchronous publish returned: a tight
        // loop of publishes would otherwise hit its default of 10 ("Too many publishes in progress").
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    static void publish(MqttClient c, String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        c.publish(topic, m);
    }

    /**
     * Publishes probes at QoS 0 until one arrives: the bridge is up and subscribed on both sides.
     * A probe's payload is {@code probe:TOPIC}, so each call waits for its own.
     */
    static void awaitFlowing(MqttClient from, String topic, Paho.Inbox to) {
        String probe = "probe:" + topic;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            publish(from, topic, probe, 0, false);
            Thread.sleep(50); // a probe's way round; the condition is what we wait on
            return to.payloads().contains(probe);
        });
    }
}
