package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.Paho;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * 20,000 QoS 1 messages from four publishers to one wildcard subscriber: every message
 * arrives, and each publisher's messages arrive in the order it sent them (MQTT 3.1.1 section
 * 4.6). Publishers run 100 messages ahead of their PUBACKs, so the broker has real concurrency.
 */
class Qos1StreamTest {

    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 5_000;
    private static final int WINDOW = 100;

    @Test
    void everyMessageArrivesInOrderPerPublisher() throws Exception {
        // Publishers are acknowledged on receipt and can outrun one subscriber, so the subscriber's
        // queue must be allowed to hold the backlog (Mosquitto would drop beyond max_queued_messages too).
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 0)) {
            ConcurrentLinkedQueue<String> arrived = new ConcurrentLinkedQueue<>();
            MqttClient subscriber = Paho.connect(broker, "sink", null);
            subscriber.subscribe("stream/#", 1, (topic, m) -> arrived.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            List<Thread> threads = new ArrayList<>();
            List<MqttAsyncClient> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                MqttAsyncClient client = new MqttAsyncClient(broker.uri(), "source-" + p, new MemoryPersistence());
                MqttConnectOptions o = Paho.options();
                o.setMaxInflight(WINDOW);
                client.connect(o).waitForCompletion(10_000);
                publishers.add(client);
                int publisher = p;
                Thread t = new Thread(() -> publishAll(client, publisher), "publisher-" + p);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }

            var dropped = broker.broker().stats().publishDropped;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> arrived.size() + dropped.sum() >= PUBLISHERS * PER_PUBLISHER);
            assertThat(dropped.sum()).as("messages dropped").isZero();

            Map<String, Integer> lastSeen = new HashMap<>();
            for (String payload : arrived) {
                String[] parts = payload.split(":");
                int seq = Integer.parseInt(parts[1]);
                Integer previous = lastSeen.put(parts[0], seq);
                assertThat(seq).as("order of %s", parts[0]).isEqualTo(previous == null ? 0 : previous + 1);
            }
            assertThat(arrived).hasSize(PUBLISHERS * PER_PUBLISHER);
            assertThat(lastSeen).hasSize(PUBLISHERS).allSatisfy((k, v) -> assertThat(v).isEqualTo(PER_PUBLISHER - 1));

            for (MqttAsyncClient c : publishers) {
                c.disconnect().waitForCompletion(5_000);
                c.close();
            }
            Paho.closeQuietly(subscriber);
        }
    }

    private static void publishAll(MqttAsyncClient client, int publisher) {
        Semaphore window = new Semaphore(WINDOW);
        IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
        try {
            for (int i = 0; i < PER_PUBLISHER; i++) {
                window.acquire();
                MqttMessage m = new MqttMessage(("p" + publisher + ":" + i).getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                client.publish("stream/" + publisher, m, null, release);
            }
            window.acquire(WINDOW); // every PUBACK is in
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
