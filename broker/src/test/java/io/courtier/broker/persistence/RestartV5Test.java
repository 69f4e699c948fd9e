package io.courtier.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5 timers that must survive a crash (kill -9) of a broker with persistence: a message's
 * expiry (what expired while the broker was down is not delivered, the rest arrives with the
 * time it has left) and a delayed will (it waits for its delay from the restart, and the client
 * coming back within it cancels it). Paho v5 clients, a child broker process.
 */
class RestartV5Test {

    @TempDir
    Path tmp;

    /** One received message: topic, text and the Message Expiry Interval it came with (null if none). */
    record Got(String topic, String text, Long expiry) {
    }

    static final class Inbox implements MqttCallback {
        final List<Got> got = new CopyOnWriteArrayList<>();

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            got.add(new Got(topic, new String(m.getPayload(), StandardCharsets.UTF_8),
                    m.getProperties() == null ? null : m.getProperties().getMessageExpiryInterval()));
        }

        List<String> texts() {
            return got.stream().map(Got::text).toList();
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties p) {
        }
    }

    private static MqttClient client(int port, String id, Inbox inbox, boolean cleanStart, Long sessionExpiry,
                                     MqttMessage will, Long willDelay) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        if (inbox != null) {
            c.setCallback(inbox);
        }
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpiry);
        o.setAutomaticReconnect(false);
        if (will != null) {
            o.setWill("wills/" + id, will);
            MqttProperties p = new MqttProperties();
            p.setWillDelayInterval(willDelay);
            o.setWillMessageProperties(p);
        }
        c.connect(o);
        return c;
    }

    /** Paho refuses to close a client that has not yet noticed its broker is gone: wait until it has. */
    private static void closeAfterCrash(MqttClient... clients) throws MqttException {
        for (MqttClient c : clients) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !c.isConnected());
            c.close(true);
        }
    }

    private static void publish(MqttClient c, String topic, String text, boolean retain, long expiry)
            throws MqttException {
        MqttProperties p = new MqttProperties();
        p.setMessageExpiryInterval(expiry);
        MqttMessage m = new MqttMessage(text.getBytes(StandardCharsets.UTF_8), 1, retain, p);
        c.publish(topic, m);
    }

    @Test
    void messageExpiryIsKeptAcrossACrash() throws Exception {
        Path log = tmp.resolve("child.log");
        long published;
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            MqttClient keeper = client(broker.port, "keeper", null, true, 3600L, null, null);
            keeper.subscribe("exp/#", 1);
            keeper.disconnect();
            keeper.close();
            MqttClient pub = client(broker.port, "pub", null, true, 0L, null, null);
            published = System.nanoTime();
            publish(pub, "exp/short", "short-lived", false, 1);
            publish(pub, "exp/long", "long-lived", false, 3600);
            publish(pub, "exp/kept", "retained", true, 3600);
            publish(pub, "exp/gone", "retained-short", true, 1);
            broker.kill(); // every PUBACK above came after the message was on disk
            closeAfterCrash(pub);
        }
        // The short-lived message's second runs out while the broker is down.
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - published > 1_500_000_000L);
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            Inbox inbox = new Inbox();
            MqttClient keeper = client(broker.port, "keeper", inbox, false, 3600L, null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.texts().contains("long-lived"));
            Got long1 = inbox.got.stream().filter(g -> g.text().equals("long-lived")).findFirst().orElseThrow();
            assertThat(long1.expiry()).isNotNull().isBetween(1L, 3600L);

            MqttClient pub = client(broker.port, "pub2", null, true, 0L, null, null);
            publish(pub, "exp/marker", "marker", false, 60);
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.texts().contains("marker"));
            assertThat(inbox.texts()).doesNotContain("short-lived");

            Inbox fresh = new Inbox();
            MqttClient reader = client(broker.port, "reader", fresh, true, 0L, null, null);
            reader.subscribe("exp/+", 1); // the retained messages: the short-lived one expired meanwhile
            await().atMost(Duration.ofSeconds(10)).until(() -> fresh.texts().contains("retained"));
            reader.subscribe("exp/marker2", 1); // SUBACK after the retained messages of the first SUBSCRIBE
            assertThat(fresh.texts()).containsExactly("retained");
            assertThat(fresh.got.get(0).expiry()).isNotNull().isBetween(1L, 3599L);
            for (MqttClient c : List.of(keeper, pub, reader)) {
                c.disconnect();
                c.close();
            }
            broker.stop();
        }
    }

    /**
     * Two clients connected at the crash, each with a persistent session and a delayed will. After
     * the restart one comes back within its delay (8 s): its will is cancelled; the other does not
     * (10 s): its will goes out once the delay has passed, by which time the first would have too.
     */
    @Test
    void aDelayedWillFoundAfterACrashWaitsForItsDelayAndIsCancelledByAReturn() throws Exception {
        Path log = tmp.resolve("child.log");
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            MqttClient heir = client(broker.port, "heir", null, true, 3600L, null, null);
            heir.subscribe("wills/#", 1);
            heir.disconnect();
            heir.close();
            MqttClient back = client(broker.port, "back", null, true, 3600L,
                    new MqttMessage("back's will".getBytes(StandardCharsets.UTF_8), 1, false, null), 8L);
            MqttClient gone = client(broker.port, "gone", null, true, 3600L,
                    new MqttMessage("gone's will".getBytes(StandardCharsets.UTF_8), 1, false, null), 10L);
            // Their session records (with the wills) are on disk once a later change is: a SUBACK.
            back.subscribe("anything", 1);
            gone.subscribe("anything", 1);
            broker.kill();
            closeAfterCrash(back, gone);
        }
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            MqttClient back = client(broker.port, "back", null, false, 3600L, null, null);
            Inbox inbox = new Inbox();
            MqttClient heir = client(broker.port, "heir", inbox, false, 3600L, null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> inbox.texts().contains("gone's will"));
            assertThat(inbox.texts()).containsExactly("gone's will");
            for (MqttClient c : List.of(back, heir)) {
                c.disconnect();
                c.close();
            }
            broker.stop();
        }
    }
}
