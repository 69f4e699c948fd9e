package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.codec.Properties;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Pubrel;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Unsuback;
import io.courtier.codec.Unsubscribe;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/** Reason codes on SUBACK, UNSUBACK and PUBCOMP (PUBACK/PUBREC ones are in {@link MessageTest}). */
class AckReasonTest extends Mqtt5Test {

    @Test
    void subackGrantsAtMostTheMaximumQos() throws Exception {
        start(b -> b.maxQos = 1);
        V5Client c = client("c");
        assertThat(c.subscribe(new MqttSubscription("a/#", 2), null)).containsExactly(ReasonCode.GRANTED_QOS_1);
        assertThat(c.subscribe(new MqttSubscription("b", 0), null)).containsExactly(ReasonCode.GRANTED_QOS_0);
    }

    @Test
    void unsubackSaysWhetherTheSubscriptionExisted() throws Exception {
        start();
        try (CodecClient raw = CodecClient.connect(port(), "u", Properties.NONE)) {
            raw.send(new io.courtier.codec.Subscribe(1, List.of(new io.courtier.codec.Subscription("here", 1)),
                    Properties.NONE));
            raw.next();
            raw.send(new Unsubscribe(2, List.of("here", "never"), Properties.NONE));
            assertThat(raw.next()).isInstanceOfSatisfying(Unsuback.class, u -> assertThat(u.reasonCodes())
                    .containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED));
        }
    }

    @Test
    void pubrelForAnUnknownPacketIdGetsPacketIdentifierNotFound() throws Exception {
        start();
        try (CodecClient raw = CodecClient.connect(port(), "r", Properties.NONE)) {
            raw.send(new Pubrel(77));
            assertThat(raw.next()).isInstanceOfSatisfying(Pubcomp.class,
                    p -> assertThat(p.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
        }
    }
}
