package io.courtier.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho Java v3, the client nobody here wrote, for tests: in-memory persistence, no
 * automatic reconnect, an {@link Inbox} that records what arrives so a test can wait on it with
 * Awaitility, and a {@link Peer} for tests that just want a connected client to talk to.
 */
public final class Paho {
    private Paho() {
    }

    /** One received message as the client saw it. */
    public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
        public static Received of(String topic, MqttMessage m) {
            return new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8),
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

    /**
     * Options with a user name and password, either null when absent: a clean session, Paho's
     * default keepalive and protocol choice (3.1.1, then 3.1 if the broker refuses it).
     */
    public static MqttConnectOptions options(String username, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    /** A client, not yet connected, with its inbox installed as callback. */
    public static MqttClient client(MqttEndpoint broker, String clientId, Inbox inbox) throws MqttException {
        return client(broker.uri(), clientId, inbox);
    }

    /** The same for a server URI ({@code ssl://...}, {@code ws://...}). */
    public static MqttClient client(String uri, String clientId, Inbox inbox) throws MqttException {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        c.setTimeToWait(10_000);
        if (inbox != null) {
            c.setCallback(inbox);
        }
        return c;
    }

    /** A connected client with {@link #options()}. */
    public static MqttClient connect(MqttEndpoint broker, String clientId, Inbox inbox) throws MqttException {
        return connect(broker, clientId, inbox, options());
    }

    public static MqttClient connect(MqttEndpoint broker, String clientId, Inbox inbox, MqttConnectOptions options)
            throws MqttException {
        return open(broker.uri(), clientId, inbox, options);
    }

    /** A connected client; closed again (and the error thrown) when the broker refuses it. */
    private static MqttClient open(String uri, String clientId, Inbox inbox, MqttConnectOptions options)
            throws MqttException {
        MqttClient c = client(uri, clientId, inbox);
        try {
            c.connect(options);
        } catch (MqttException e) {
            c.close(true);
            throw e;
        }
        return c;
    }

    public static MqttClient connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        return open(uri, clientId, null, options);
    }

    /** A connected client with a user name and password (either null when absent). */
    public static MqttClient connect(String uri, String clientId, String username, String password)
            throws MqttException {
        return open(uri, clientId, null, options(username, password));
    }

    /** The CONNACK code a connection attempt gets: 0 when accepted. */
    public static int connackCode(String uri, String clientId, String username, String password) {
        try {
            MqttClient c = connect(uri, clientId, username, password);
            c.disconnect();
            c.close();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Subscribes at QoS 1 and records "topic payload" for every message received. */
    public static List<String> record(MqttClient c, String... filters) throws MqttException {
        List<String> got = new CopyOnWriteArrayList<>();
        for (String f : filters) {
            c.subscribe(f, 1, (topic, m) -> got.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        }
        return got;
    }

    /** Publishes a UTF-8 payload and waits for its flow to complete (QoS 1 and 2). */
    public static void publish(MqttClient c, String topic, String payload, int qos, boolean retained)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        c.publish(topic, m);
    }

    /**
     * A connected client that records what its subscriptions receive: the other end of an
     * exchange with a client of ours. Closing it disconnects.
     *
     * <pre>{@code
     * try (Paho.Peer paho = Paho.peer(port, "id").subscribe("t/#", 2)) { ... paho.received() ... }
     * }</pre>
     */
    public static final class Peer implements AutoCloseable {
        private final MqttClient client;
        private final List<Received> received = new CopyOnWriteArrayList<>();

        private Peer(MqttClient client) {
            this.client = client;
        }

        public Peer subscribe(String filter, int qos) throws MqttException {
            client.subscribe(filter, qos, (topic, m) -> received.add(Received.of(topic, m)));
            return this;
        }

        public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
            Paho.publish(client, topic, payload, qos, retained);
        }

        /** What the subscriptions received so far, in order. */
        public List<Received> received() {
            return received;
        }

        public MqttClient client() {
            return client;
        }

        @Override
        public void close() {
            closeQuietly(client);
        }
    }

    /** A {@link Peer} on a broker of this machine, with a window of 1000 unacknowledged messages. */
    public static Peer peer(int port, String clientId) throws MqttException {
        MqttConnectOptions o = options();
        o.setMaxInflight(1000);
        return new Peer(open("tcp://127.0.0.1:" + port, clientId, null, o));
    }

    /** Disconnects (if connected) and closes each, ignoring a connection the broker already dropped. */
    public static void closeQuietly(MqttClient... clients) {
        for (MqttClient c : clients) {
            closeQuietly(c);
        }
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
