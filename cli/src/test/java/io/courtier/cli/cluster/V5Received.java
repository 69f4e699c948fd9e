package io.courtier.cli.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client connected to one node, keeping what it receives with its properties. */
final class V5Received implements MqttCallback, AutoCloseable {

    /** One message as the client got it. */
    record Got(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final MqttAsyncClient client;
    final List<Got> messages = new CopyOnWriteArrayList<>();

    private V5Received(MqttAsyncClient client) {
        this.client = client;
    }

    /** Whether the broker's CONNACK said it had a session for the client. */
    boolean sessionPresent;

    static V5Received connect(ClusterNodes.Node node, String clientId) throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        return connect(node, clientId, o);
    }

    /** With clean start or not, and a Session Expiry Interval in seconds. */
    static V5Received connect(ClusterNodes.Node node, String clientId, boolean cleanStart, long sessionExpiry)
            throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpiry);
        return connect(node, clientId, o);
    }

    static V5Received connect(ClusterNodes.Node node, String clientId, MqttConnectionOptions o) throws MqttException {
        V5Received r = new V5Received(new MqttAsyncClient(node.url(), clientId, new MemoryPersistence()));
        r.client.setCallback(r);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(30);
        IMqttToken t = r.client.connect(o);
        t.waitForCompletion(30_000);
        r.sessionPresent = t.getSessionPresent();
        return r;
    }

    /** Options of a client resuming a session of {@code expiry} seconds, with a will sent {@code delay} seconds late. */
    static MqttConnectionOptions resuming(long expiry, String willTopic, long delay) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(expiry);
        if (willTopic != null) {
            o.setWill(willTopic, new MqttMessage("late".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false,
                    null));
            MqttProperties p = new MqttProperties();
            p.setWillDelayInterval(delay);
            o.setWillMessageProperties(p);
        }
        return o;
    }

    void subscribe(String filter, int qos, int subscriptionId) throws MqttException {
        MqttProperties p = new MqttProperties();
        p.setSubscriptionIdentifier(subscriptionId);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}, null, null, p)
                .waitForCompletion(30_000);
    }

    void publish(String topic, String payload, int qos, MqttProperties p) throws MqttException {
        IMqttToken t = client.publish(topic, new MqttMessage(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                qos, false, p));
        t.waitForCompletion(30_000);
    }

    List<Got> on(String topic) {
        return messages.stream().filter(g -> g.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (MqttException e) {
            // already gone
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        messages.add(new Got(topic, message));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
