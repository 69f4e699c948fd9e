package io.courtier.broker.security.backends;

import io.courtier.broker.Broker;
import io.courtier.testkit.Paho;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho clients that log in with a user name and password, for the backend tests. */
final class Logins {
    private Logins() {
    }

    /** Connects (3.1.1, clean session), records what arrives in {@code inbox}, and adds the client to {@code opened}. */
    static MqttClient paho(Broker broker, String clientId, String user, String password, Paho.Inbox inbox,
                           List<MqttClient> opened) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        c.setTimeToWait(10_000);
        c.setCallback(inbox);
        MqttConnectOptions o = Paho.options();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        c.connect(o);
        opened.add(c);
        return c;
    }
}
