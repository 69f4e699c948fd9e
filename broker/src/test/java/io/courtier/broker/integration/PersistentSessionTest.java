package io.courtier.broker.integration;

import static io.courtier.testkit.MqttBytes.CLEAN_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clean session 0 (MQTT 3.1.1 section 3.1.2.4): subscriptions and undelivered messages outlive
 * the connection, CONNACK says whether a session was there, unacknowledged messages are resent
 * with DUP, and a second connection with the same client id takes the session over.
 */
class PersistentSessionTest {

    private TestBroker broker;
    private MqttClient publisher;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start();
        publisher = Paho.connect(broker, "pub", null);
    }

    @AfterEach
    void stop() {
        Paho.closeQuietly(publisher);
        broker.close();
    }

    private static MqttConnectOptions persistent() {
        MqttConnectOptions o = Paho.options();
        o.setCleanSession(false);
        return o;
    }

    private void publish(String topic, String payload, int qos) throws Exception {
        publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    @Test
    void messagesPublishedWhileOfflineArriveOnReconnectAndSessionIsPresent() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.client(broker, "durable", inbox);
        assertThat(sub.connectWithResult(persistent()).getSessionPresent()).isFalse();
        sub.subscribe("orders/#", 1);
        sub.disconnect();
        // "While offline" means once the broker has seen the connection end, not when Paho returns.
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker.broker().sessions().get("durable").isConnected());

        publish("orders/1", "one", 1);
        publish("orders/2", "two", 2);
        publish("orders/3", "three at QoS 0", 0); // not queued for an offline client
        publish("orders/4", "four", 1);

        assertThat(sub.connectWithResult(persistent()).getSessionPresent()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 3);
        publish("orders/5", "live", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 4);
        assertThat(inbox.payloads()).containsExactly("one", "two", "four", "live");
        Paho.closeQuietly(sub);
    }

    @Test
    void queueQos0MessagesKeepsQos0ForOfflineClients() throws Exception {
        try (TestBroker queuing = TestBroker.start(b -> b.queueQos0Messages = true)) {
            MqttClient pub = Paho.connect(queuing, "pub", null);
            Inbox inbox = new Inbox();
            MqttClient sub = Paho.client(queuing, "durable", inbox);
            sub.connect(persistent());
            sub.subscribe("t", 1);
            sub.disconnect();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !queuing.broker().sessions().get("durable").isConnected());

            pub.publish("t", "zero".getBytes(), 0, false);
            pub.publish("t", "one".getBytes(), 1, false);

            sub.connect(persistent());
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 2);
            assertThat(inbox.payloads()).containsExactly("zero", "one");
            Paho.closeQuietly(sub);
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void aCleanSessionForgetsSubscriptionsAndSaysNoSessionWasPresent() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.client(broker, "forgetful", inbox);
        sub.connect(persistent());
        sub.subscribe("t", 1);
        sub.disconnect();
        broker.awaitOffline("forgetful"); // else "queued" may go out on the closing connection
        publish("t", "queued", 1);

        MqttConnectOptions clean = Paho.options();
        assertThat(sub.connectWithResult(clean).getSessionPresent()).isFalse();
        publish("t", "after", 1);
        // The old subscription is gone: a message on a fresh subscription is the only one that arrives.
        sub.subscribe("marker", 1);
        publish("marker", "m", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 1);
        assertThat(inbox.payloads()).containsExactly("m");

        // And a clean session leaves nothing behind when it ends.
        sub.disconnect();
        broker.awaitOffline("forgetful"); // else the CONNECT takes over the still-open clean session
        assertThat(sub.connectWithResult(persistent()).getSessionPresent()).isFalse();
        Paho.closeQuietly(sub);
    }

    @Test
    void takeoverClosesTheFirstConnectionAndTheSessionContinues() throws Exception {
        Inbox firstInbox = new Inbox();
        MqttClient first = Paho.client(broker, "twin", firstInbox);
        first.connect(persistent());
        first.subscribe("jobs", 1);

        Inbox secondInbox = new Inbox();
        MqttClient second = Paho.client(broker, "twin", secondInbox);
        assertThat(second.connectWithResult(persistent()).getSessionPresent()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(firstInbox::connectionLost);
        publish("jobs", "for the new connection", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondInbox.size() == 1);
        assertThat(secondInbox.payloads()).containsExactly("for the new connection");
        assertThat(firstInbox.size()).isZero();
        Paho.closeQuietly(second);
        Paho.closeQuietly(first);
    }

    @Test
    void takeoverWithACleanSessionStartsAfresh() throws Exception {
        try (RawClient first = RawClient.open(broker)) {
            first.send(MqttBytes.connect("MQTT", 4, 0, 60, "twin"));
            first.expectConnack(0);
            first.subscribe(1, "jobs", 1);
            try (RawClient second = RawClient.open(broker)) {
                second.send(MqttBytes.connect("MQTT", 4, CLEAN_SESSION, 60, "twin"));
                assertThat(second.expectConnack(0).sessionPresent()).isFalse();
                assertThat(first.closedByBroker()).isTrue();
                publish("jobs", "nobody", 1);
                assertThat(second.readUntilPingresp()).isEmpty();
            }
        }
    }

    @Test
    void unacknowledgedQos1IsResentWithDupOnReconnect() throws Exception {
        int id;
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "forgetful-acker"));
            assertThat(c.expectConnack(0).sessionPresent()).isFalse();
            c.subscribe(1, "t", 1);
            publish("t", "hello", 1);
            RawClient.Packet first = c.read(RawClient.PUBLISH);
            assertThat(first.dup()).isFalse();
            id = first.publishId();
            c.kill(); // no PUBACK
        }
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "forgetful-acker"));
            assertThat(c.expectConnack(0).sessionPresent()).isTrue();
            RawClient.Packet again = c.read(RawClient.PUBLISH);
            assertThat(again.dup()).isTrue();
            assertThat(again.publishId()).isEqualTo(id);
            assertThat(again.payload()).isEqualTo("hello");
            c.send(MqttBytes.puback(id));
            assertThat(c.readUntilPingresp()).isEmpty();
        }
    }

    @Test
    void unacknowledgedMessagesAreResentInTheOrderTheyWereFirstSent() throws Exception {
        List<RawClient.Packet> first;
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "picky-acker"));
            c.expectConnack(0);
            c.subscribe(1, "t", 1);
            for (int i = 1; i <= 5; i++) {
                publish("t", "m" + i, 1);
            }
            first = c.readPublishes(5);
            // Acknowledged out of order, from the middle and the end: the rest keep their places.
            c.send(MqttBytes.puback(first.get(1).publishId()));
            c.send(MqttBytes.puback(first.get(4).publishId()));
            assertThat(c.readUntilPingresp()).isEmpty(); // both PUBACKs handled before the crash
            c.kill();
        }
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "picky-acker"));
            assertThat(c.expectConnack(0).sessionPresent()).isTrue();
            List<RawClient.Packet> again = c.readPublishes(3);
            // [MQTT-4.4.0-1]: resent in their original order, with their ids, as duplicates.
            assertThat(again).extracting(RawClient.Packet::payload).containsExactly("m1", "m3", "m4");
            assertThat(again).extracting(RawClient.Packet::publishId).containsExactly(
                    first.get(0).publishId(), first.get(2).publishId(), first.get(3).publishId());
            assertThat(again).allMatch(RawClient.Packet::dup);
            for (RawClient.Packet p : again) {
                c.send(MqttBytes.puback(p.publishId()));
            }
            assertThat(c.readUntilPingresp()).isEmpty();
        }
    }

    @Test
    void aQos2DeliveryResumesWithPubrelWherePubrecWasSent() throws Exception {
        int id;
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "half-done"));
            c.expectConnack(0);
            c.subscribe(1, "t", 2);
            publish("t", "exactly once", 2);
            id = c.read(RawClient.PUBLISH).publishId();
            c.send(MqttBytes.pubrec(id));
            assertThat(c.read(RawClient.PUBREL).ackId()).isEqualTo(id);
            c.kill(); // no PUBCOMP
        }
        try (RawClient c = RawClient.open(broker)) {
            c.send(MqttBytes.connect("MQTT", 4, 0, 60, "half-done"));
            c.expectConnack(0);
            // [MQTT-4.4.0-1]: the PUBLISH is not sent again, only the PUBREL.
            assertThat(c.read(RawClient.PUBREL).ackId()).isEqualTo(id);
            c.send(MqttBytes.pubcomp(id));
            assertThat(c.readUntilPingresp()).isEmpty();
        }
    }

    @Test
    void anInboundQos2MessageIsRoutedOnceEvenIfResentBeforePubrel() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient sub = Paho.connect(broker, "sub", inbox);
        sub.subscribe("once", 2);
        try (RawClient p = RawClient.connected(broker, "resender")) {
            p.send(MqttBytes.publish("once", 2, false, false, 9, "a".getBytes()));
            assertThat(p.read(RawClient.PUBREC).ackId()).isEqualTo(9);
            p.send(MqttBytes.publish("once", 2, false, true, 9, "a".getBytes())); // DUP resend
            assertThat(p.read(RawClient.PUBREC).ackId()).isEqualTo(9);
            p.send(MqttBytes.pubrel(9));
            assertThat(p.read(RawClient.PUBCOMP).ackId()).isEqualTo(9);
            // After PUBCOMP the id is free again: the same id is a new message.
            p.send(MqttBytes.publish("once", 2, false, false, 9, "b".getBytes()));
            assertThat(p.read(RawClient.PUBREC).ackId()).isEqualTo(9);
            p.send(MqttBytes.pubrel(9));
            p.read(RawClient.PUBCOMP);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() >= 2);
        assertThat(inbox.payloads()).containsExactly("a", "b");
        Paho.closeQuietly(sub);
    }
}
