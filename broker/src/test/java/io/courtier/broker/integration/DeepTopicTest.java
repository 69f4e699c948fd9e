package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.Paho;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import java.util.Collections;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/**
 * No topic can overflow the stack (issue 25). The red team found that once a subscription of
 * about 3,500 levels existed, every matching PUBLISH threw StackOverflowError in the topic tree: the
 * publisher was disconnected and nobody, not even a "#" subscriber, got the message. Courtier now
 * refuses topics and filters of more than 201 levels as Debian's mosquitto 2.0.11 does
 * (disconnecting the client), and a "#" subscriber keeps getting everything else.
 */
class DeepTopicTest {

    private static String levels(int n) {
        return String.join("/", Collections.nCopies(n, "a"));
    }

    @Test
    void aFiveThousandLevelSubscriptionIsRefusedAndOthersLoseNothing() throws Exception {
        try (LogCapture log = LogCapture.broker(); TestBroker broker = TestBroker.start(b -> b.sysInterval = 0)) {
            Paho.Inbox everything = new Paho.Inbox();
            MqttClient watcher = Paho.connect(broker, "watcher", everything);
            watcher.subscribe("#", 1);

            Paho.Inbox deepInbox = new Paho.Inbox();
            MqttClient deep = Paho.connect(broker, "deep", deepInbox);
            String deepTopic = levels(5_000);
            assertThatThrownBy(() -> deep.subscribe(deepTopic, 1)).isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !deep.isConnected());

            MqttClient publisher = Paho.connect(broker, "publisher", null);
            publisher.publish("plain/topic", "before".getBytes(), 1, false);
            assertThatThrownBy(() -> publisher.publish(deepTopic, "deep".getBytes(), 1, false))
                    .isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isConnected());

            MqttClient second = Paho.connect(broker, "second", null);
            second.publish("plain/topic", "after".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.payloads().contains("after"));
            assertThat(everything.payloads()).containsExactly("before", "after");
            assertThat(watcher.isConnected()).isTrue();
            assertThat(log.anyThrowable()).as("a stack trace in the broker's log").isFalse();
            assertThat(log.contains("has more than 201 levels")).isTrue();
            Paho.closeQuietly(second);
            Paho.closeQuietly(watcher);
        }
    }

    @Test
    void twoHundredAndOneLevelsAreStillATopic() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.sysInterval = 0)) {
            Paho.Inbox everything = new Paho.Inbox();
            MqttClient watcher = Paho.connect(broker, "watcher", everything);
            watcher.subscribe("#", 1);
            Paho.Inbox deepInbox = new Paho.Inbox();
            MqttClient deep = Paho.connect(broker, "deep", deepInbox);
            String topic = levels(201); // 200 separators: the most Mosquitto accepts
            deep.subscribe(topic, 1);
            MqttClient publisher = Paho.connect(broker, "publisher", null);
            publisher.publish(topic, "deep".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> everything.size() == 1 && deepInbox.size() == 1);
            Paho.closeQuietly(publisher);
            Paho.closeQuietly(deep);
            Paho.closeQuietly(watcher);
        }
    }
}
