package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.Paho;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/**
 * Courtier's caps that Mosquitto 2.0 lacks (issue 25): max_subscriptions_per_client and
 * max_queued_bytes_total.
 */
class BrokerCapsTest {

    @Test
    void subscriptionsPastTheLimitAreRefusedInTheSuback() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> {
            b.maxSubscriptionsPerClient = 2;
            b.sysInterval = 0;
        })) {
            MqttClient v3 = Paho.connect(broker, "v3", null);
            assertThat(granted(v3, new String[] {"a", "b", "c"}, new int[] {1, 1, 1})).containsExactly(1, 1, 0x80);
            assertThat(granted(v3, new String[] {"a"}, new int[] {0})).containsExactly(0); // replacing is allowed
            v3.unsubscribe("b");
            assertThat(granted(v3, new String[] {"c"}, new int[] {1})).containsExactly(1);
            Paho.closeQuietly(v3);

            org.eclipse.paho.mqttv5.client.MqttClient v5 = new org.eclipse.paho.mqttv5.client.MqttClient(
                    broker.uri(), "v5", new MemoryPersistence());
            v5.connect(new MqttConnectionOptions());
            IMqttToken t = v5.subscribe(new MqttSubscription[] {
                new MqttSubscription("a", 1), new MqttSubscription("b", 1), new MqttSubscription("c", 1)});
            assertThat(t.getReasonCodes()).containsExactly(1, 1, 0x80);
            assertThat(v5.isConnected()).isTrue();
            v5.disconnect();
            v5.close();
        }
    }

    /**
     * 1,000 bytes for all queues: an offline subscriber's queue fills with five QoS 0 then QoS 1
     * messages of 100 bytes; each QoS 1 message past the bound pushes out the oldest QoS 0 one,
     * and once none is left the new message is dropped. All are counted.
     */
    @Test
    void theTotalQueueBoundDropsTheOldestQos0ThenNewMessages() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> {
            b.maxQueuedBytesTotal = 1000;
            b.queueQos0Messages = true;
            b.sysInterval = 0;
        })) {
            MqttConnectOptions persistent = Paho.options();
            persistent.setCleanSession(false);
            MqttClient sub = Paho.connect(broker, "offline", null, persistent);
            sub.subscribe("t/#", 1);
            sub.disconnect();
            sub.close();
            broker.awaitOffline("offline");

            MqttClient pub = Paho.connect(broker, "pub", null);
            for (int i = 1; i <= 5; i++) {
                pub.publish("t/x", payload("q0-" + i), 0, false);
            }
            for (int i = 1; i <= 11; i++) {
                pub.publish("t/x", payload("q1-" + i), 1, false);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().stats().publishReceived.sum() == 16);
            // Received is counted on the publisher's loop; the offline session takes its deliveries on its
            // own loop a moment later: wait for the queue to settle, then check it holds.
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().stats().queuedBytes.sum() == 1000
                    && broker.broker().stats().droppedQueueMemory.sum() == 6);
            assertThat(broker.broker().stats().droppedQueueMemory.sum()).isEqualTo(6);
            assertThat(broker.broker().stats().queuedBytes.sum()).isEqualTo(1000);

            Paho.Inbox inbox = new Paho.Inbox();
            MqttClient back = Paho.client(broker, "offline", inbox);
            back.connect(persistent);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 10);
            pub.publish("t/end", payload("end"), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 11);
            List<String> labels = new ArrayList<>();
            for (String p : inbox.payloads()) {
                labels.add(p.strip());
            }
            assertThat(labels).containsExactly("q1-1", "q1-2", "q1-3", "q1-4", "q1-5", "q1-6", "q1-7", "q1-8",
                    "q1-9", "q1-10", "end");
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().stats().queuedBytes.sum() == 0);
            Paho.closeQuietly(back);
            Paho.closeQuietly(pub);
        }
    }

    private static int[] granted(MqttClient c, String[] filters, int[] qos) throws Exception {
        return c.subscribeWithResponse(filters, qos).getGrantedQos();
    }

    /** A 100-byte payload: the label, then spaces. */
    private static byte[] payload(String label) {
        return String.format("%-100s", label).getBytes(StandardCharsets.US_ASCII);
    }
}
