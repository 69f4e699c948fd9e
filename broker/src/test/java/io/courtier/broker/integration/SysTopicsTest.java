package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.Paho.Received;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** The $SYS/broker tree: Mosquitto's topic names, retained, republished every sys_interval when changed. */
class SysTopicsTest {

    @Test
    void versionIsRetainedWithMosquittosWording() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            Inbox inbox = new Inbox();
            MqttClient c = Paho.connect(broker, "sys", inbox);
            c.subscribe("$SYS/broker/version", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 1);
            assertThat(inbox.messages()).containsExactly(
                    new Received("$SYS/broker/version", "courtier version test", 0, true, false));
            Paho.closeQuietly(c);
        }
    }

    @Test
    void everyMosquittoTopicIsPublished() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            Map<String, String> latest = new ConcurrentHashMap<>();
            MqttClient c = Paho.connect(broker, "sys", null);
            c.subscribe("$SYS/#", 0, (IMqttMessageListener) (topic, m) -> latest.put(topic, new String(m.getPayload())));
            List<String> expected = new java.util.ArrayList<>(List.of("version", "uptime", "clients/total",
                    "clients/maximum", "clients/inactive", "clients/disconnected", "clients/active",
                    "clients/connected", "clients/expired", "messages/stored", "messages/received", "messages/sent",
                    "store/messages/count", "store/messages/bytes", "subscriptions/count",
                    "shared_subscriptions/count", "retained messages/count", "publish/messages/dropped",
                    "publish/messages/received", "publish/messages/sent", "publish/bytes/received",
                    "publish/bytes/sent", "bytes/received", "bytes/sent", "heap/current", "heap/maximum",
                    "logins/refused/busy", "queued/bytes", "queued/dropped"));
            for (String load : List.of("messages/received", "messages/sent", "publish/received", "publish/sent",
                    "publish/dropped", "bytes/received", "bytes/sent", "sockets", "connections")) {
                for (String window : List.of("1min", "5min", "15min")) {
                    expected.add("load/" + load + "/" + window);
                }
            }
            List<String> topics = expected.stream().map(t -> "$SYS/broker/" + t).toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> latest.keySet().containsAll(topics));
            assertThat(latest.get("$SYS/broker/uptime")).matches("\\d+ seconds");
            assertThat(latest.get("$SYS/broker/load/sockets/1min")).matches("\\d+\\.\\d\\d");
            Paho.closeQuietly(c);
        }
    }

    @Test
    void valuesAreRepublishedAfterSysIntervalWhenTheyChange() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.sysInterval = 1)) {
            Map<String, String> latest = new ConcurrentHashMap<>();
            MqttClient watcher = Paho.connect(broker, "watcher", null);
            watcher.subscribe("$SYS/broker/#", 0,
                    (IMqttMessageListener) (topic, m) -> latest.put(topic, new String(m.getPayload())));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "1".equals(latest.get("$SYS/broker/clients/connected")));
            MqttClient second = Paho.connect(broker, "second", null);
            MqttClient persistent = Paho.client(broker, "persistent", null);
            var o = Paho.options();
            o.setCleanSession(false);
            persistent.connect(o);
            persistent.subscribe("a/b", 1);
            second.publish("kept", "v".getBytes(), 0, true);
            persistent.disconnect();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(latest).containsEntry("$SYS/broker/clients/connected", "2");
                assertThat(latest).containsEntry("$SYS/broker/clients/disconnected", "1");
                assertThat(latest).containsEntry("$SYS/broker/clients/total", "3");
                assertThat(latest).containsEntry("$SYS/broker/clients/maximum", "3");
                // Every $SYS topic is a retained message too (Mosquitto counts them as well), plus "kept".
                assertThat(latest).containsEntry("$SYS/broker/retained messages/count",
                        String.valueOf(latest.size() + 1));
                // watcher's $SYS/broker/# and the persistent session's a/b
                assertThat(latest).containsEntry("$SYS/broker/subscriptions/count", "2");
            });
            assertThat(Long.parseLong(latest.get("$SYS/broker/publish/messages/received"))).isGreaterThanOrEqualTo(1);
            Paho.closeQuietly(second);
            Paho.closeQuietly(watcher);
        }
    }

    @Test
    void sysInterval0TurnsTheTreeOff() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.sysInterval = 0)) {
            Inbox inbox = new Inbox();
            MqttClient c = Paho.connect(broker, "sys", inbox);
            c.subscribe("$SYS/#", 0);
            // Retained $SYS topics would be sent right after SUBACK; a marker after them comes alone.
            c.subscribe("marker", 0);
            c.publish("marker", "m".getBytes(), 0, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 1);
            assertThat(inbox.payloads()).containsExactly("m");
            Paho.closeQuietly(c);
        }
    }

    @Test
    void clientsCannotPublishToSys() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            Inbox inbox = new Inbox();
            MqttClient c = Paho.connect(broker, "c", inbox);
            c.subscribe("$SYS/fake", 0);
            c.subscribe("marker", 0);
            c.publish("$SYS/fake", "forged".getBytes(), 1, false);
            c.publish("marker", "m".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 1);
            assertThat(inbox.payloads()).containsExactly("m");
            assertThat(c.isConnected()).isTrue();
            Paho.closeQuietly(c);
        }
    }
}
