package io.courtier.plugin.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin loaded from the jar this module's {@code package} built, by a broker
 * started from a configuration file, as a user would run it; Paho as the client.
 */
class OwnTreePluginIT {

    @TempDir
    Path dir;

    private Broker broker;

    @BeforeEach
    void start() throws Exception {
        Path jar = Path.of(System.getProperty("courtier.plugin.jar"));
        assertThat(jar).exists();
        Path conf = dir.resolve("courtier.conf");
        Files.write(conf, List.of("listener 0", "allow_anonymous false", "plugin " + jar,
                "plugin_opt_users alice:secret,bob:pw", "plugin_opt_prefix home"), StandardCharsets.UTF_8);
        broker = Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private MqttClient connect(String user, String password, List<String> inbox) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), user + "-client", new MemoryPersistence());
        c.setTimeToWait(10_000);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }

    @Test
    void eachUserHasATreeOfItsOwn() throws Exception {
        List<String> inbox = new CopyOnWriteArrayList<>();
        MqttClient alice = connect("alice", "secret", inbox);
        try {
            int[] granted = alice.subscribeWithResponse(new String[] {"home/alice/#", "home/bob/#"}, new int[] {1, 1})
                    .getGrantedQos();
            assertThat(granted).containsExactly(1, 0x80);
            alice.publish("home/bob/door", "not mine".getBytes(StandardCharsets.UTF_8), 1, false);
            alice.publish("home/alice/door", "open".getBytes(StandardCharsets.UTF_8), 1, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> !inbox.isEmpty());
            assertThat(inbox).containsExactly("home/alice/door open");
        } finally {
            alice.disconnect();
            alice.close();
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        assertThatThrownBy(() -> connect("alice", "wrong", new CopyOnWriteArrayList<>()))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        assertThatThrownBy(() -> connect("mallory", "secret", new CopyOnWriteArrayList<>()))
                .isInstanceOf(MqttException.class);
    }
}
