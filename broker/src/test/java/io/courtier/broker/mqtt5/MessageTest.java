package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;
import io.courtier.codec.ReasonCode;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/**
 * Application message properties end to end: expiry, payload format, content type, response
 * topic, correlation data, user properties; PUBACK reason codes; 3.1.1 and 5 clients together.
 */
class MessageTest extends Mqtt5Test {

    private static final byte[] BAD_UTF8 = {(byte) 0xC3, (byte) 0x28};

    @Test
    void propertiesAreForwardedUnchangedAndInOrder() throws Exception {
        start();
        V5Client sub = client("sub");
        sub.subscribe("p/#", 1);
        MqttProperties p = new MqttProperties();
        p.setPayloadFormat(true);
        p.setContentType("application/json");
        p.setResponseTopic("p/reply");
        p.setCorrelationData(new byte[] {9, 8, 7});
        p.setUserProperties(List.of(new UserProperty("k", "1"), new UserProperty("z", "2"),
                new UserProperty("k", "3")));
        client("pub").publish("p/x", "{}".getBytes(StandardCharsets.UTF_8), 1, false, p);
        await().until(() -> sub.received.size() == 1);
        MqttProperties got = sub.received.get(0).message().getProperties();
        assertThat(got.getPayloadFormat()).isTrue();
        assertThat(got.getContentType()).isEqualTo("application/json");
        assertThat(got.getResponseTopic()).isEqualTo("p/reply");
        assertThat(got.getCorrelationData()).containsExactly(9, 8, 7);
        assertThat(got.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("k=1", "z=2", "k=3");
    }

    @Test
    void expiredMessagesAreNotDeliveredAndTheRestCarryTheTimeLeft() throws Exception {
        start();
        V5Client sub = client("away", o -> {
            o.setCleanStart(true);
            o.setSessionExpiryInterval(60L);
        });
        sub.subscribe("e/#", 1);
        sub.close();
        // Offline as the broker sees it: a message sent on the closing connection is in flight,
        // and an in-flight message is resent on reconnect even once expired [MQTT-3.3.2-5].
        awaitOffline("away");
        V5Client pub = client("pub");
        MqttProperties brief = new MqttProperties();
        brief.setMessageExpiryInterval(1L);
        pub.publish("e/1", "brief".getBytes(StandardCharsets.UTF_8), 1, false, brief);
        long publishedAt = System.currentTimeMillis();
        MqttProperties lasting = new MqttProperties();
        lasting.setMessageExpiryInterval(3600L);
        pub.publish("e/2", "lasting".getBytes(StandardCharsets.UTF_8), 1, false, lasting);
        pub.publish("e/3", "forever", 1);
        // Wait for the wall clock to pass the first message's expiry, then come back.
        await().until(() -> System.currentTimeMillis() > publishedAt + 1_100);
        V5Client back = client("away", o -> {
            o.setCleanStart(false);
            o.setSessionExpiryInterval(60L);
        });
        await().until(() -> back.received.size() == 2);
        assertThat(back.texts()).containsExactly("lasting", "forever");
        Long left = back.received.get(0).message().getProperties().getMessageExpiryInterval();
        assertThat(left).isBetween(1L, 3600L);
        assertThat(back.received.get(1).message().getProperties().getMessageExpiryInterval()).isNull();
    }

    @Test
    void anExpiredRetainedMessageIsNotSentToNewSubscribers() throws Exception {
        start();
        V5Client pub = client("pub");
        MqttProperties brief = new MqttProperties();
        brief.setMessageExpiryInterval(1L);
        pub.publish("r/brief", "brief".getBytes(StandardCharsets.UTF_8), 1, true, brief);
        long publishedAt = System.currentTimeMillis();
        pub.publish("r/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, true, null);
        await().until(() -> System.currentTimeMillis() > publishedAt + 1_100);
        V5Client sub = client("sub");
        sub.subscribe("r/#", 1);
        await().until(() -> sub.texts().contains("marker"));
        assertThat(sub.texts()).containsExactly("marker");
    }

    @Test
    void aBadUtf8PayloadMarkedAsUtf8IsRefusedWithPayloadFormatInvalid() throws Exception {
        start();
        V5Client sub = client("sub");
        sub.subscribe("f/#", 1);
        V5Client pub = client("pub");
        MqttProperties utf8 = new MqttProperties();
        utf8.setPayloadFormat(true);
        assertThat(reasonOf(() -> pub.publish("f/bad", BAD_UTF8, 1, false, utf8)))
                .isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        MqttProperties utf8Again = new MqttProperties();
        utf8Again.setPayloadFormat(true);
        pub.publish("f/good", "héllo".getBytes(StandardCharsets.UTF_8), 1, false, utf8Again);
        pub.publish("f/binary", BAD_UTF8, 1, false, null); // no indicator: bytes are bytes
        await().until(() -> sub.received.size() == 2);
        assertThat(sub.received).extracting(V5Client.Received::topic).containsExactly("f/good", "f/binary");
    }

    @Test
    void aBadUtf8PayloadAtQos0EndsTheConnectionWithPayloadFormatInvalid() throws Exception {
        start();
        try (CodecClient raw = CodecClient.connect(port(), "raw", Properties.NONE)) {
            raw.send(new Publish("f/bad", 0, false, false, 0,
                    Properties.builder().add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1).build(),
                    Unpooled.wrappedBuffer(BAD_UTF8)));
            assertThat(raw.next()).isInstanceOfSatisfying(io.courtier.codec.Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID));
        }
    }

    @Test
    void pubackSaysNoMatchingSubscribersWhenNobodyListens() throws Exception {
        start();
        V5Client pub = client("pub");
        assertThat(pub.publish("nobody", "x", 1).getReasonCodes()).containsExactly(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        client("sub").subscribe("somebody", 1);
        assertThat(pub.publish("somebody", "x", 1).getReasonCodes()).containsExactly(ReasonCode.SUCCESS);
        // QoS 2: the PUBREC says so, the PUBCOMP that follows is plain success.
        assertThat(pub.publish("nobody", "x", 2).getReasonCodes()).startsWith(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void pubackRefusesSysTopicsAndPayloadsOverMessageSizeLimitWithReasons() throws Exception {
        start(b -> b.messageSizeLimit = 100);
        V5Client pub = client("pub");
        assertThat(reasonOf(() -> pub.publish("$SYS/x", "x", 1))).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(reasonOf(() -> pub.publish("big", new byte[200], 1, false, null)))
                .isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    }

    @Test
    void failedAcksCarryAReasonStringOnlyWhenProblemInformationIsRequested() throws Exception {
        start(b -> b.messageSizeLimit = 10);
        try (CodecClient raw = CodecClient.connect(port(), "asks", Properties.NONE)) {
            raw.send(new Publish("big", 1, false, false, 1, Properties.NONE, Unpooled.wrappedBuffer(new byte[50])));
            io.courtier.codec.Puback ack = (io.courtier.codec.Puback) raw.next();
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
            assertThat(ack.properties().string(PropertyId.REASON_STRING)).contains("message_size_limit");
        }
        Properties quiet = Properties.builder().add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0).build();
        try (CodecClient raw = CodecClient.connect(port(), "quiet", quiet)) {
            raw.send(new Publish("big", 1, false, false, 1, Properties.NONE, Unpooled.wrappedBuffer(new byte[50])));
            io.courtier.codec.Puback ack = (io.courtier.codec.Puback) raw.next();
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
            assertThat(ack.properties().isEmpty()).isTrue();
        }
    }

    @Test
    void a311SubscriberGetsAV5PublishersMessageAndTheOtherWayRound() throws Exception {
        start();
        List<String> got311 = new java.util.concurrent.CopyOnWriteArrayList<>();
        MqttClient v3 = new MqttClient("tcp://127.0.0.1:" + port(), "v3", new MemoryPersistence());
        track(() -> {
            if (v3.isConnected()) {
                v3.disconnect();
            }
            v3.close();
        });
        v3.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                got311.add(topic + ":" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        v3.connect();
        v3.subscribe("mix/#", 1);
        V5Client v5 = client("v5");
        v5.subscribe("mix/#", 1);

        MqttProperties p = new MqttProperties();
        p.setUserProperties(List.of(new UserProperty("only", "v5")));
        p.setContentType("text/plain");
        p.setMessageExpiryInterval(3600L);
        v5.publish("mix/from5", "five".getBytes(StandardCharsets.UTF_8), 1, false, p);
        v3.publish("mix/from3", "three".getBytes(StandardCharsets.UTF_8), 1, false);

        await().until(() -> got311.size() == 2 && v5.received.size() == 2);
        assertThat(got311).containsExactlyInAnyOrder("mix/from5:five", "mix/from3:three");
        V5Client.Received from3 = v5.received.stream().filter(r -> r.topic().equals("mix/from3")).findFirst()
                .orElseThrow();
        assertThat(from3.text()).isEqualTo("three");
        assertThat(from3.message().getProperties().getUserProperties()).isEmpty();
        assertThat(from3.message().getProperties().getMessageExpiryInterval()).isNull();
    }

    interface Call {
        IMqttToken run() throws MqttException;
    }

    /** The reason code of a PUBACK/PUBREC, whether Paho reports a failure code as a result or an exception. */
    static int reasonOf(Call call) {
        try {
            IMqttToken t = call.run();
            return t.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }
}
