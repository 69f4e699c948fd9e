package io.courtier.broker.persistence;

import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.durable;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the disk fails, nothing is acknowledged that is not stored: QoS 1/2 publishes get no
 * PUBACK and are not delivered, while QoS 0 and subscribers go on; once the disk works again
 * the client's resend is stored, acknowledged and delivered.
 */
class StoreFailureTest {

    @TempDir
    Path tmp;

    @Test
    void aFailingDiskStopsAcknowledgementsButNotQos0AndRecovers() throws Exception {
        BrokerConfig config = durable(tmp).build();
        FailingStore store = new FailingStore(RocksDbStore.open(tmp.resolve("courtier.db"), null));
        try (Broker broker = Broker.start(config, "test", Broker.DEFAULT_CONNECT_TIMEOUT_MILLIS, store)) {
            PersistenceFixtures.Received watched = new PersistenceFixtures.Received();
            MqttClient watch = client(broker.port(), "watch");
            watch.setCallback(watched);
            watch.connect(options(true));
            watch.subscribe("f/#", 1);

            AtomicInteger acknowledged = new AtomicInteger();
            MqttAsyncClient pub = new MqttAsyncClient("tcp://127.0.0.1:" + broker.port(), "pub",
                    new MemoryPersistence());
            pub.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    acknowledged.incrementAndGet();
                }
            });
            pub.connect(options(false)).waitForCompletion(10_000);
            pub.publish("f/1", "before".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() == 1);

            store.failing = true;
            pub.publish("f/1", "durable".getBytes(StandardCharsets.UTF_8), 1, false);
            pub.publish("f/2", "exactly".getBytes(StandardCharsets.UTF_8), 2, false);
            pub.publish("f/0", "fast".getBytes(StandardCharsets.UTF_8), 0, false);
            // QoS 0 still flows, and it was sent after the QoS 1/2 ones were refused.
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.count("f/0=fast") == 1);
            assertThat(acknowledged.get()).as("only the earlier QoS 1 and the QoS 0 completed").isEqualTo(2);
            assertThat(watched.count("f/1=durable")).isZero();
            assertThat(watched.count("f/2=exactly")).isZero();

            // The disk frees up; the client resends what was never acknowledged when it reconnects.
            store.failing = false;
            pub.disconnectForcibly(0, 1000);
            pub.connect(options(false)).waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.count("f/1=durable") == 1
                    && watched.count("f/2=exactly") == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() == 4);
            pub.disconnect().waitForCompletion(5000);
            pub.close();
            watch.disconnect();
            watch.close();
        }
    }
}
