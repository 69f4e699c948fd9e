package io.courtier.broker.integration;

import static io.courtier.testkit.MqttBytes.CLEAN_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

/** Keep alive (MQTT 3.1.1 section 3.1.2.10): silence for 1.5 x keepalive ends the connection, abnormally. */
class KeepAliveTimeoutTest {

    @Test
    void aSilentClientIsClosedAndItsWillPublished() throws Exception {
        try (LogCapture log = LogCapture.broker();
             TestBroker broker = TestBroker.start()) {
            Inbox inbox = new Inbox();
            MqttClient watcher = Paho.connect(broker, "watcher", inbox);
            watcher.subscribe("status/+", 1);
            try (RawClient silent = RawClient.open(broker)) {
                silent.send(MqttBytes.connectWithWill("silent", CLEAN_SESSION, 1, "status/silent", 1, "timed out"));
                silent.expectConnack(0);
                // Says nothing more: after 1.5 s the broker must close it (read timeout here is 10 s).
                assertThat(silent.closedByBroker()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.payloads()).containsExactly("timed out");
            assertThat(log.contains("Client silent has exceeded timeout, disconnecting.")).isTrue();
            Paho.closeQuietly(watcher);
        }
    }

    @Test
    void aClientThatPingsStaysConnected() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            MqttConnectOptions o = Paho.options();
            o.setKeepAliveInterval(2);
            Inbox inbox = new Inbox();
            MqttClient pinger = Paho.connect(broker, "pinger", inbox, o);
            // Paho sends PINGREQ after 2 s of silence; without it the broker would close at 3 s.
            // 2 s vs 3 s leaves Paho's timer a second of slack on a busy machine.
            await().during(Duration.ofMillis(3_600)).atMost(Duration.ofSeconds(6)).until(pinger::isConnected);
            assertThat(inbox.connectionLost()).isFalse();
            Paho.closeQuietly(pinger);
        }
    }

    @Test
    void keepAliveZeroMeansNoTimeout() throws Exception {
        try (TestBroker broker = TestBroker.start();
             RawClient quiet = RawClient.open(broker)) {
            quiet.send(MqttBytes.connect("quiet", 0));
            quiet.expectConnack(0);
            assertThat(quiet.closedByBrokerWithin(1_600)).isFalse();
            assertThat(quiet.readUntilPingresp()).isEmpty();
        }
    }
}
