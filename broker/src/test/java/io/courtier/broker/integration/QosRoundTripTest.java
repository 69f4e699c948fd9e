package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.Paho.Received;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PUBLISH at QoS 0, 1 and 2 in both directions, through a real broker, with Paho v3 on each end. */
class QosRoundTripTest {

    private TestBroker broker;
    private MqttClient publisher;
    private MqttClient subscriber;

    @BeforeEach
    void start() {
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        Paho.closeQuietly(publisher);
        Paho.closeQuietly(subscriber);
        broker.close();
    }

    /** Delivery QoS is min(publish QoS, granted QoS) [MQTT-3.8.4-6]; payload and topic intact. */
    @ParameterizedTest(name = "publish QoS {0}, subscribe QoS {1}, MQTT {2}")
    @CsvSource({
            "0, 0, 4", "0, 2, 4", "1, 1, 4", "1, 2, 4", "2, 2, 4", "2, 1, 4", "2, 0, 4", "1, 0, 4",
            "0, 0, 3", "1, 1, 3", "2, 2, 3"})
    void deliversAtTheLowerOfBothQos(int publishQos, int subscribeQos, int mqttVersion) throws Exception {
        Inbox inbox = new Inbox();
        MqttConnectOptions options = Paho.options();
        options.setMqttVersion(mqttVersion == 3 ? MqttConnectOptions.MQTT_VERSION_3_1
                : MqttConnectOptions.MQTT_VERSION_3_1_1);
        subscriber = Paho.connect(broker, "sub", inbox, options);
        subscriber.subscribe("room/+/temp", subscribeQos);
        publisher = Paho.connect(broker, "pub", null, options);

        publisher.publish("room/kitchen/temp", "21.5".getBytes(StandardCharsets.UTF_8), publishQos, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
        assertThat(inbox.messages()).containsExactly(
                new Received("room/kitchen/temp", "21.5", Math.min(publishQos, subscribeQos), false, false));
    }
}
