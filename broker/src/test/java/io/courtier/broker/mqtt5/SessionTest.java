package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.Disconnect;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/** Session Expiry Interval, clean start, Will Delay Interval and will properties. */
class SessionTest extends Mqtt5Test {

    private V5Client persistent(String id, long expiry, boolean cleanStart) throws Exception {
        return client(id, o -> {
            o.setCleanStart(cleanStart);
            o.setSessionExpiryInterval(expiry);
        });
    }

    @Test
    void aSessionWithAnExpiryIntervalOutlivesItsConnection() throws Exception {
        start();
        V5Client sub = persistent("keep", 60, true);
        sub.subscribe("q/#", 1);
        sub.close();
        awaitOffline("keep"); // "while away" as the broker sees it
        client("pub").publish("q/1", "while away", 1);
        V5Client back = persistent("keep", 60, false);
        assertThat(back.sessionPresent()).isTrue();
        await().until(() -> back.texts().contains("while away"));
    }

    @Test
    void expiryZeroEndsTheSessionWithTheConnection() throws Exception {
        start();
        V5Client sub = persistent("gone", 0, true);
        sub.subscribe("q/#", 1);
        sub.close();
        awaitOffline("gone"); // else the CONNECT takes over the still-open session [MQTT-3.1.4-3]
        assertThat(persistent("gone", 60, false).sessionPresent()).isFalse();
    }

    @Test
    void aSessionIsRemovedWhenItsExpiryIntervalPasses() throws Exception {
        start();
        V5Client sub = persistent("brief", 1, true);
        sub.subscribe("q/#", 1);
        sub.close();
        await().until(() -> broker.stats().clientsExpired.sum() == 1);
        assertThat(persistent("brief", 60, false).sessionPresent()).isFalse();
    }

    @Test
    void cleanStartDiscardsAnExistingSession() throws Exception {
        start();
        persistent("fresh", 60, true).close();
        assertThat(persistent("fresh", 60, true).sessionPresent()).isFalse();
    }

    @Test
    void disconnectCanShortenTheExpiryToZero() throws Exception {
        start();
        V5Client c = persistent("short", 60, true);
        MqttProperties props = new MqttProperties();
        props.setSessionExpiryInterval(0L);
        c.paho.disconnect(5_000, null, null, 0, props).waitForCompletion(5_000);
        awaitOffline("short"); // else the CONNECT takes over the still-open session [MQTT-3.1.4-3]
        assertThat(persistent("short", 60, false).sessionPresent()).isFalse();
    }

    @Test
    void disconnectMayNotSetAnExpiryWhenConnectHadZero() throws Exception {
        start();
        try (CodecClient raw = CodecClient.connect(port(), "zero", Properties.NONE)) {
            raw.send(new Disconnect(0, Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build()));
            assertThat(raw.next()).isInstanceOfSatisfying(Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR));
        }
    }

    private V5Client withWill(String id, long sessionExpiry, long willDelay, MqttProperties willProps)
            throws Exception {
        return client(id, o -> {
            o.setCleanStart(false);
            o.setSessionExpiryInterval(sessionExpiry);
            o.setWill("will/" + id, new MqttMessage(("gone " + id).getBytes(StandardCharsets.UTF_8), 1, false, null));
            MqttProperties p = willProps == null ? new MqttProperties() : willProps;
            p.setWillDelayInterval(willDelay);
            o.setWillMessageProperties(p);
        });
    }

    @Test
    void aDelayedWillIsPublishedAfterTheDelay() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        withWill("late", 60, 1, null).drop();
        await().until(() -> watcher.texts().contains("gone late"));
    }

    @Test
    void aDelayedWillIsNotPublishedWhenTheClientComesBackInTime() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        watcher.subscribe("marker", 1);
        withWill("back", 60, 60, null).drop();
        V5Client again = persistent("back", 60, false);
        assertThat(again.sessionPresent()).isTrue();
        again.close(); // a normal DISCONNECT: no will from this connection either
        client("pub").publish("marker", "m", 1);
        await().until(() -> watcher.texts().contains("m"));
        assertThat(watcher.texts()).doesNotContain("gone back");
    }

    @Test
    void aDelayedWillGoesOutWhenTheSessionEndsFirst() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        withWill("ends", 1, 3600, null).drop(); // the session expires after 1 s, long before the delay
        await().until(() -> watcher.texts().contains("gone ends"));
    }

    @Test
    void aDelayedWillGoesOutAtOnceWhenACleanStartEndsTheSession() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        withWill("clean", 3600, 3600, null).drop();
        persistent("clean", 0, true);
        await().until(() -> watcher.texts().contains("gone clean"));
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        V5Client c = withWill("asks", 0, 0, null);
        c.paho.disconnect(5_000, null, null, ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, new MqttProperties())
                .waitForCompletion(5_000);
        await().until(() -> watcher.texts().contains("gone asks"));
    }

    @Test
    void willPropertiesAreForwardedWithTheWill() throws Exception {
        start();
        V5Client watcher = client("watcher");
        watcher.subscribe("will/#", 1);
        MqttProperties p = new MqttProperties();
        p.setContentType("text/plain");
        p.setResponseTopic("reply/here");
        p.setCorrelationData(new byte[] {1, 2, 3});
        p.setUserProperties(List.of(new UserProperty("a", "1"), new UserProperty("b", "2")));
        withWill("props", 0, 0, p).drop();
        await().until(() -> watcher.received.size() == 1);
        MqttProperties got = watcher.received.get(0).message().getProperties();
        assertThat(got.getContentType()).isEqualTo("text/plain");
        assertThat(got.getResponseTopic()).isEqualTo("reply/here");
        assertThat(got.getCorrelationData()).containsExactly(1, 2, 3);
        assertThat(got.getUserProperties()).extracting(UserProperty::getKey).containsExactly("a", "b");
        assertThat(got.getWillDelayInterval()).isNull();
    }

    @Test
    void cleanStart0ResumesTheSessionAndSaysSo() throws Exception {
        start();
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "mixed", false, 0, null, null, null,
                    Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build()));
            assertThat(((Connack) raw.next()).sessionPresent()).isFalse();
        }
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "mixed", false, 0, null, null, null,
                    Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build()));
            assertThat(((Connack) raw.next()).sessionPresent()).isTrue();
        }
    }
}
