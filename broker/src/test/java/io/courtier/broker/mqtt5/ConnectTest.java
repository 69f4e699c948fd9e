package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.Disconnect;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/** CONNECT and CONNACK properties, refusals, and the broker-sent DISCONNECTs of the connection's life. */
class ConnectTest extends Mqtt5Test {

    @Test
    void connackAnnouncesTheLimitsAndCapabilitiesOfTheConfiguration() throws Exception {
        start(b -> {
            b.maxInflightMessages = 20;
            b.maxTopicAlias = 7;
            b.maxPacketSize = 10_000;
            b.maxQos = 1;
            b.retainAvailable = false;
        });
        V5Client c = client("caps");
        MqttProperties p = c.connack();
        assertThat(p.getReceiveMaximum()).isEqualTo(20);
        assertThat(p.getTopicAliasMaximum()).isEqualTo(7);
        assertThat(p.getMaximumPacketSize()).isEqualTo(10_000L);
        assertThat(p.getMaximumQoS()).isEqualTo(1);
        assertThat(p.isRetainAvailable()).isFalse();
        assertThat(p.isWildcardSubscriptionsAvailable()).isTrue();
        assertThat(p.isSubscriptionIdentifiersAvailable()).isTrue();
        assertThat(p.isSharedSubscriptionAvailable()).isTrue();
    }

    @Test
    void emptyClientIdGetsAnAssignedIdentifier() throws Exception {
        start();
        V5Client c = client("");
        assertThat(c.connack().getAssignedClientIdentifier()).isNotBlank();
    }

    @Test
    void keepAliveAboveMaxKeepaliveIsLoweredByServerKeepAlive() throws Exception {
        start(b -> b.maxKeepalive = 30);
        V5Client c = client("ka", o -> o.setKeepAliveInterval(120));
        assertThat(c.connack().getServerKeepAlive()).isEqualTo(30);
        V5Client within = client("ka2", o -> o.setKeepAliveInterval(10));
        assertThat(within.connack().getServerKeepAlive()).isNull();
    }

    @Test
    void anAuthenticationMethodIsRefusedWithBadAuthenticationMethod() throws Exception {
        start();
        assertThatThrownBy(() -> client("auth", o -> o.setAuthMethod("SCRAM-SHA-1")))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD));
    }

    @Test
    void aWillAboveMaximumQosOrRetainedWithoutRetainIsRefused() throws Exception {
        start(b -> {
            b.maxQos = 1;
            b.retainAvailable = false;
        });
        io.courtier.codec.Will qos2 = new io.courtier.codec.Will("w", "x".getBytes(), 2, false, Properties.NONE);
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "w1", true, 0, null, null, qos2, Properties.NONE));
            assertThat(((Connack) raw.next()).reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
            assertThat(raw.closedByBroker()).isTrue();
        }
        io.courtier.codec.Will retained = new io.courtier.codec.Will("w", "x".getBytes(), 0, true, Properties.NONE);
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "w2", true, 0, null, null, retained, Properties.NONE));
            assertThat(((Connack) raw.next()).reasonCode()).isEqualTo(ReasonCode.RETAIN_NOT_SUPPORTED);
        }
    }

    @Test
    void refusalsCarryAReasonStringOnlyWhenProblemInformationIsRequested() throws Exception {
        start();
        Properties method = Properties.builder().add(PropertyId.AUTHENTICATION_METHOD, "X").build();
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "r1", true, 0, null, null, null, method));
            Connack ack = (Connack) raw.next();
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
            assertThat(ack.properties().string(PropertyId.REASON_STRING)).contains("not supported");
        }
        Properties quiet = method.toBuilder().add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0).build();
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "r2", true, 0, null, null, null, quiet));
            Connack ack = (Connack) raw.next();
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
            assertThat(ack.properties().contains(PropertyId.REASON_STRING)).isFalse();
        }
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesTheSessionOver() throws Exception {
        start();
        V5Client first = client("dup");
        client("dup");
        await().until(() -> first.disconnect != null);
        assertThat(first.disconnect.getReturnCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
    }

    @Test
    void aClosingBrokerSaysServerShuttingDown() throws Exception {
        start();
        V5Client c = client("bye");
        broker.close();
        await().until(() -> c.disconnect != null);
        assertThat(c.disconnect.getReturnCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
    }

    @Test
    void aSilentClientIsDisconnectedWithKeepAliveTimeout() throws Exception {
        start();
        try (CodecClient raw = new CodecClient(port())) {
            raw.send(new Connect(MqttVersion.V5, "silent", true, 1, null, null, null, Properties.NONE));
            assertThat(((Connack) raw.next()).reasonCode()).isZero();
            MqttPacket p = raw.next(); // after 1.5 keep-alive periods without a packet
            assertThat(p).isInstanceOfSatisfying(Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT));
        }
    }

    @Test
    void aPacketAboveMaxPacketSizeIsPacketTooLarge() throws Exception {
        start(b -> b.maxPacketSize = 1_000);
        try (CodecClient raw = CodecClient.connect(port(), "big", Properties.NONE)) {
            raw.send(new io.courtier.codec.Publish("t", 0, false, false, 0, Properties.NONE,
                    io.netty.buffer.Unpooled.wrappedBuffer(new byte[2_000])));
            assertThat(raw.next()).isInstanceOfSatisfying(Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE));
        }
    }

    @Test
    void userPropertiesInConnectAreAccepted() throws Exception {
        start();
        V5Client c = client("up", o -> o.setUserProperties(java.util.List.of(
                new org.eclipse.paho.mqttv5.common.packet.UserProperty("k", "v"))));
        assertThat(c.paho.isConnected()).isTrue();
        assertThat(c.publish("up/t", "x", 1).getReasonCodes()).containsExactly(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    }
}
