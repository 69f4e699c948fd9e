package io.courtier.broker.persistence;

import io.courtier.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Brokers with persistence on a directory, and Paho clients that record what they receive. */
final class PersistenceFixtures {
    private PersistenceFixtures() {
    }

    static BrokerConfig.Builder durable(Path location) {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        b.persistence = true;
        b.persistenceLocation = location;
        b.persistenceFile = "courtier.db";
        b.sysInterval = 0;
        b.maxQueuedMessages = 0;
        return b;
    }

    /** A broker with persistence on {@code location} and Mosquitto's default persistence file, mosquitto.db. */
    static io.courtier.broker.testing.TestBroker onMosquittoDb(Path location) {
        return io.courtier.broker.testing.TestBroker.start(b -> {
            b.persistence = true;
            b.persistenceLocation = location;
            b.sysInterval = 0;
        });
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(1000);
        o.setConnectionTimeout(10);
        return o;
    }

    static MqttClient client(int port, String id) throws MqttException {
        return new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    }

    /** Publishes {@code topic=prefix0..prefixN-1} with up to 100 in flight; returns when all are acknowledged. */
    static void publishAll(int port, String clientId, String topic, int qos, String prefix, int count)
            throws Exception {
        org.eclipse.paho.client.mqttv3.MqttAsyncClient c = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                "tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        c.connect(options(true)).waitForCompletion(10_000);
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(100);
        java.util.concurrent.CountDownLatch acked = new java.util.concurrent.CountDownLatch(count);
        org.eclipse.paho.client.mqttv3.IMqttActionListener listener = new org.eclipse.paho.client.mqttv3.IMqttActionListener() {
            @Override
            public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
                acked.countDown();
                window.release();
            }

            @Override
            public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable e) {
                window.release();
            }
        };
        for (int i = 0; i < count; i++) {
            window.acquire();
            c.publish(topic, (prefix + i).getBytes(StandardCharsets.UTF_8), qos, false, null, listener);
        }
        if (!acked.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(acked.getCount() + " messages not acknowledged");
        }
        c.disconnect().waitForCompletion(5000);
        c.close();
    }

    /** Collects payloads (as text) per topic, with how often each arrived. */
    static final class Received implements MqttCallback {
        final List<String> all = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String text = topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8);
            all.add(text);
            counts.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        int count(String topicEqualsPayload) {
            AtomicInteger n = counts.get(topicEqualsPayload);
            return n == null ? 0 : n.get();
        }
    }
}
