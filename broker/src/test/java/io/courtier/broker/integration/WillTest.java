package io.courtier.broker.integration;

import static io.courtier.testkit.MqttBytes.CLEAN_SESSION;
import static io.courtier.testkit.MqttBytes.WILL_RETAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.Paho.Received;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The will message (MQTT 3.1.1 section 3.1.2.5): published on every abnormal end, never after DISCONNECT. */
class WillTest {

    private TestBroker broker;
    private MqttClient watcher;
    private final Inbox inbox = new Inbox();

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start();
        watcher = Paho.connect(broker, "watcher", inbox);
        watcher.subscribe("status/#", 2);
    }

    @AfterEach
    void stop() {
        Paho.closeQuietly(watcher);
        broker.close();
    }

    private RawClient connectWithWill(String id, int flags, int qos) throws Exception {
        RawClient c = RawClient.open(broker);
        c.send(MqttBytes.connectWithWill(id, CLEAN_SESSION | flags, 60, "status/" + id, qos, "gone"));
        c.expectConnack(0);
        c.readUntilPingresp(); // connected and settled
        return c;
    }

    @Test
    void aKilledSocketPublishesTheWillAtItsQos() throws Exception {
        RawClient c = connectWithWill("crash", 0, 1);
        c.kill();

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
        assertThat(inbox.messages()).containsExactly(new Received("status/crash", "gone", 1, false, false));
    }

    @Test
    void aPahoClientWhoseSocketDiesPublishesItsWill() throws Exception {
        MqttConnectOptions o = Paho.options();
        o.setWill("status/paho", "offline".getBytes(), 2, false);
        MqttClient paho = Paho.connect(broker, "paho", null, o);
        // Paho has no "crash" call; closing the client without DISCONNECT drops the socket the same way.
        paho.disconnectForcibly(0, 0, false);
        paho.close(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
        assertThat(inbox.messages()).containsExactly(new Received("status/paho", "offline", 2, false, false));
    }

    @Test
    void noWillAfterDisconnect() throws Exception {
        RawClient c = connectWithWill("polite", 0, 1);
        c.send(MqttBytes.disconnect());
        assertThat(c.closedByBroker()).isTrue();

        // A later message on the same subscription arrives alone: the will was discarded [MQTT-3.14.4-3].
        watcher.publish("status/marker", "after".getBytes(), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 1);
        assertThat(inbox.payloads()).containsExactly("after");
    }

    @Test
    void aRetainedWillIsStoredForLaterSubscribers() throws Exception {
        RawClient c = connectWithWill("keeper", WILL_RETAIN, 0);
        c.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
        assertThat(inbox.messages().get(0).retained()).as("forwarded live: RETAIN cleared").isFalse();

        try (RawClient late = RawClient.connected(broker, "late")) {
            late.subscribe(1, "status/keeper", 1);
            RawClient.Packet m = late.read(RawClient.PUBLISH);
            assertThat(m.retain()).isTrue();
            assertThat(m.payload()).isEqualTo("gone");
        }
    }

    @Test
    void aProtocolViolationPublishesTheWill() throws Exception {
        RawClient c = connectWithWill("rogue", 0, 0);
        c.send(MqttBytes.publish("bad/+", 0, false, 0, "x"));
        assertThat(c.closedByBroker()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
        assertThat(inbox.payloads()).containsExactly("gone");
    }

    @Test
    void aWillAboveMaxQosOrARetainedWillWithoutRetainIsRefused() throws Exception {
        // 3.1.1 has no CONNACK code for it: the connection is closed, as Mosquitto does.
        try (TestBroker strict = TestBroker.start(b -> {
                b.maxQos = 1;
                b.retainAvailable = false;
            })) {
            try (RawClient c = RawClient.open(strict)) {
                c.send(MqttBytes.connectWithWill("greedy", CLEAN_SESSION, 60, "status/greedy", 2, "x"));
                assertThat(c.closedByBroker()).isTrue();
            }
            try (RawClient c = RawClient.open(strict)) {
                c.send(MqttBytes.connectWithWill("keeper", CLEAN_SESSION | WILL_RETAIN, 60, "status/keeper", 0, "x"));
                assertThat(c.closedByBroker()).isTrue();
            }
            try (RawClient c = RawClient.open(strict)) {
                c.send(MqttBytes.connectWithWill("modest", CLEAN_SESSION, 60, "status/modest", 1, "x"));
                c.expectConnack(0);
            }
        }
    }

    @Test
    void aTakeoverPublishesTheOldConnectionsWill() throws Exception {
        RawClient first = connectWithWill("twin", 0, 0);
        try (RawClient second = RawClient.connected(broker, "twin")) {
            assertThat(first.closedByBroker()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.payloads()).containsExactly("gone");
            assertThat(second.readUntilPingresp()).as("the new connection works").isEmpty();
        }
    }
}
