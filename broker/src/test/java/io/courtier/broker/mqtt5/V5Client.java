package io.courtier.broker.mqtt5;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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

/** A Paho MQTT 5 client that records what arrives, for the tests. */
public final class V5Client implements AutoCloseable {

    public record Received(String topic, MqttMessage message) {
        public String text() {
            return new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final MqttAsyncClient paho;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    volatile MqttDisconnectResponse disconnect;
    IMqttToken connectToken;

    private V5Client(MqttAsyncClient paho) {
        this.paho = paho;
    }

    public static V5Client connect(int port, String clientId) throws MqttException {
        return connect(port, clientId, o -> { });
    }

    public static V5Client connect(int port, String clientId, Consumer<MqttConnectionOptions> options) throws MqttException {
        V5Client c = create(port, clientId);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        options.accept(o);
        c.connectToken = c.paho.connect(o);
        c.connectToken.waitForCompletion(5_000);
        return c;
    }

    public static V5Client create(int port, String clientId) throws MqttException {
        V5Client c = new V5Client(new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence()));
        c.paho.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                c.disconnect = response;
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                c.received.add(new Received(topic, message));
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
        });
        return c;
    }

    MqttProperties connack() {
        return connectToken.getResponseProperties();
    }

    public boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    void subscribe(String filter, int qos) throws MqttException {
        subscribe(new MqttSubscription(filter, qos), null);
    }

    /** Subscribes with options and, when {@code subscriptionId} is not null, a Subscription Identifier. */
    public int[] subscribe(MqttSubscription sub, Integer subscriptionId) throws MqttException {
        MqttProperties props = new MqttProperties();
        if (subscriptionId != null) {
            props.setSubscriptionIdentifier(subscriptionId);
        }
        IMqttToken t = paho.subscribe(new MqttSubscription[] {sub}, null, null, props);
        t.waitForCompletion(5_000);
        return t.getReasonCodes();
    }

    /** Publishes and waits for the acknowledgement (QoS 1/2); returns the token for its reason codes. */
    public IMqttToken publish(String topic, byte[] payload, int qos, boolean retain, MqttProperties props)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload, qos, retain, props == null ? new MqttProperties() : props);
        IMqttToken t = paho.publish(topic, m);
        t.waitForCompletion(5_000);
        return t;
    }

    IMqttToken publish(String topic, String payload, int qos) throws MqttException {
        return publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, false, null);
    }

    public List<String> texts() {
        return received.stream().map(Received::text).toList();
    }

    /** Drops the TCP connection without DISCONNECT: the broker sees an unexpected end. */
    void drop() throws MqttException {
        paho.disconnectForcibly(0, 0, false);
    }

    @Override
    public void close() {
        try {
            if (paho.isConnected()) {
                paho.disconnect().waitForCompletion(2_000);
            }
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            paho.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
