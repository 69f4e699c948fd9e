package io.courtier.broker.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho Java v3 clients for tests: in-memory persistence, no automatic reconnect, and an
 * {@link Inbox} that records what arrives so a test can wait on it with Awaitility.
 */
public final class Paho {
    private Paho() {
    }

    /** One received message as the client saw it. */
    public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
        public static Received of(String topic, MqttMessage m) {
            return new Received(topic, new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8),
                    m.getQos(), m.isRetained(), m.isDuplicate());
        }
    }

    /** Records messages and connection loss. Thread-safe. */
    public static final class Inbox implements MqttCallback {
        private final List<Received> messages = new ArrayList<>();
        private final AtomicBoolean lost = new AtomicBoolean();

        @Override
        public void connectionLost(Throwable cause) {
            lost.set(true);
        }

        @Override
        public synchronized void messageArrived(String topic, MqttMessage message) {
            messages.add(Received.of(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        public synchronized List<Received> messages() {
            return List.copyOf(messages);
        }

        public synchronized List<String> payloads() {
            return messages.stream().map(Received::payload).toList();
        }

        public synchronized int size() {
            return messages.size();
        }

        public boolean connectionLost() {
            return lost.get();
        }
    }

    /** Options with a clean session and a 60 s keepalive, as most tests want. */
    public static MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(60);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        return o;
    }

    /** A client, not yet connected, with its inbox installed as callback. */
    public static MqttClient client(TestBroker broker, String clientId, Inbox inbox) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        c.setTimeToWait(10_000);
        if (inbox != null) {
            c.setCallback(inbox);
        }
        return c;
    }

    /** A connected client with {@link #options()}. */
    public static MqttClient connect(TestBroker broker, String clientId, Inbox inbox) throws MqttException {
        return connect(broker, clientId, inbox, options());
    }

    public static MqttClient connect(TestBroker broker, String clientId, Inbox inbox, MqttConnectOptions options)
            throws MqttException {
        MqttClient c = client(broker, clientId, inbox);
        c.connect(options);
        return c;
    }

    /** Disconnects (if connected) and closes, ignoring a connection the broker already dropped. */
    public static void closeQuietly(MqttClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000);
            }
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            c.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
