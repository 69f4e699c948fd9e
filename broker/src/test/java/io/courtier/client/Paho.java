package io.courtier.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho v3, the client nobody here wrote, on the other end of the wire. */
final class Paho implements AutoCloseable {

    /** One received message. */
    record Received(String topic, String payload, int qos, boolean retained) {
    }

    final org.eclipse.paho.client.mqttv3.MqttClient client;
    final List<Received> received = new CopyOnWriteArrayList<>();

    Paho(int port, String clientId) throws MqttException {
        client = new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        client.connect(o);
    }

    Paho subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos, (topic, m) ->
                received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained())));
        return this;
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        client.publish(topic, m);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
