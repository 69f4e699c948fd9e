package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker started from a configuration file behaves as the file says, seen by Paho. */
class ConfigFileBrokerTest {

    @TempDir
    Path tmp;

    private Broker start(String... lines) throws Exception {
        ParsedConfig parsed = new ConfigFiles(tmp).parse(lines);
        return Broker.start(parsed.config(), "test");
    }

    private static MqttClient connect(int port, String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        c.connect(o);
        return c;
    }

    @Test
    void listenerWithAllowAnonymousAcceptsAPahoClient() throws Exception {
        try (Broker broker = start("listener 0", "allow_anonymous true")) {
            MqttClient sub = connect(broker.port(), "sub");
            BlockingQueue<String> got = new ArrayBlockingQueue<>(1);
            sub.subscribe("conf/test", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient pub = connect(broker.port(), "pub");
            pub.publish("conf/test", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
            pub.disconnect();
            sub.disconnect();
            pub.close();
            sub.close();
        }
    }

    @Test
    void listenerWithoutAllowAnonymousRefusesAnonymousClients() throws Exception {
        // Mosquitto 2: once a listener is configured, allow_anonymous defaults to false.
        try (Broker broker = start("listener 0")) {
            assertThatThrownBy(() -> connect(broker.port(), "anon"))
                    .isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        }
    }
}
