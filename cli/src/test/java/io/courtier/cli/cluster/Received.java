package io.courtier.cli.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho (v3.1.1) client connected to one node, keeping what it receives and whether it lost its connection. */
final class Received implements MqttCallback {

    /** One message as the client got it. */
    record Got(String topic, String payload, int qos, boolean retained) {
    }

    final MqttClient client;
    final List<Got> messages = new CopyOnWriteArrayList<>();
    volatile Throwable lost;
    /** Whether the broker's CONNACK said it had a session for the client. */
    boolean sessionPresent;

    private Received(MqttClient client) {
        this.client = client;
    }

    static Received connect(ClusterNodes.Node node, String clientId, boolean cleanSession) throws Exception {
        return connect(node, clientId, cleanSession, -1);
    }

    /**
     * As {@link #connect(ClusterNodes.Node, String, boolean)}, each blocking call waiting at most
     * {@code waitMillis} (-1: for ever). Paho's connect can wait for ever when its connection is
     * taken over right after CONNACK; the client is closed if the connect fails.
     */
    static Received connect(ClusterNodes.Node node, String clientId, boolean cleanSession, long waitMillis)
            throws Exception {
        MqttClient c = new MqttClient(node.url(), clientId, new MemoryPersistence());
        c.setTimeToWait(waitMillis);
        Received r = new Received(c);
        c.setCallback(r);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(30);
        o.setMaxInflight(1000);
        try {
            r.sessionPresent = c.connectWithResult(o).getSessionPresent();
        } catch (Exception e) {
            r.close();
            throw e;
        }
        return r;
    }

    static Received connect(ClusterNodes.Node node, String clientId, MqttConnectOptions o) throws Exception {
        MqttClient c = new MqttClient(node.url(), clientId, new MemoryPersistence());
        Received r = new Received(c);
        c.setCallback(r);
        c.connect(o);
        return r;
    }

    List<String> payloads() {
        return messages.stream().map(Got::payload).toList();
    }

    List<String> payloadsOn(String prefix) {
        return messages.stream().filter(g -> g.topic().startsWith(prefix)).map(Got::payload).toList();
    }

    void publish(String topic, String payload, int qos, boolean retain) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close(true);
        } catch (Exception e) {
            // already gone
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost = cause;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        messages.add(new Got(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                message.isRetained()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }
}
