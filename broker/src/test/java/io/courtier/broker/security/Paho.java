package io.courtier.broker.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Small Paho v3 helpers for the security tests. */
final class Paho {
    private Paho() {
    }

    static MqttConnectOptions options(String username, String password) {
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

    static MqttClient connect(String uri, String clientId, String username, String password) throws MqttException {
        return connect(uri, clientId, options(username, password));
    }

    static MqttClient connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        try {
            c.connect(options);
        } catch (MqttException e) {
            c.close(true);
            throw e;
        }
        return c;
    }

    /** The CONNACK code a connection attempt gets: 0 when accepted. */
    static int connackCode(String uri, String clientId, String username, String password) {
        try {
            MqttClient c = connect(uri, clientId, username, password);
            c.disconnect();
            c.close();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Subscribes and records "topic payload" for every message received. */
    static List<String> record(MqttClient c, String... filters) throws MqttException {
        List<String> got = new CopyOnWriteArrayList<>();
        for (String f : filters) {
            c.subscribe(f, 1, (topic, m) -> got.add(topic + " " + new String(m.getPayload())));
        }
        return got;
    }

    static void close(MqttClient... clients) {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close(true);
            } catch (MqttException e) {
                // closing anyway
            }
        }
    }
}
