package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Disconnect;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Puback;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscription;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/**
 * What the broker sends a subscriber: topic aliases both ways, Receive Maximum both ways, the
 * client's Maximum Packet Size, subscription identifiers and subscription options.
 */
class DeliveryTest extends Mqtt5Test {

    private static Publish publish(String topic, int qos, int packetId, Properties props, String payload) {
        return new Publish(topic, qos, false, false, packetId, props,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    private static Properties alias(int alias) {
        return Properties.builder().add(PropertyId.TOPIC_ALIAS, alias).build();
    }

    private static void subscribe(CodecClient raw, String filter, int qos) throws Exception {
        raw.send(new Subscribe(1, List.of(new Subscription(filter, qos)), Properties.NONE));
        assertThat(raw.next()).isInstanceOf(Suback.class);
    }

    @Test
    void inboundTopicAliasesAreResolvedAndNotForwarded() throws Exception {
        start();
        V5Client sub = client("sub");
        sub.subscribe("alias/#", 0);
        try (CodecClient raw = CodecClient.connect(port(), "aliaser", Properties.NONE)) {
            raw.send(publish("alias/long/topic", 0, 0, alias(3), "first"));
            raw.send(publish("", 0, 0, alias(3), "second"));
            raw.send(publish("alias/other", 0, 0, alias(3), "third")); // remaps alias 3
            raw.send(publish("", 0, 0, alias(3), "fourth"));
        }
        await().until(() -> sub.received.size() == 4);
        assertThat(sub.received).extracting(r -> r.topic() + ":" + r.text()).containsExactly(
                "alias/long/topic:first", "alias/long/topic:second", "alias/other:third", "alias/other:fourth");
        assertThat(sub.received.get(1).message().getProperties().getTopicAlias()).isNull();
    }

    @Test
    void outboundTopicAliasesAreUsedUpToTheClientsMaximum() throws Exception {
        start();
        Properties max1 = Properties.builder().add(PropertyId.TOPIC_ALIAS_MAXIMUM, 1).build();
        try (CodecClient raw = CodecClient.connect(port(), "sub", max1)) {
            subscribe(raw, "out/#", 0);
            V5Client pub = client("pub");
            pub.publish("out/a", "1", 1);
            pub.publish("out/a", "2", 1);
            pub.publish("out/b", "3", 1);
            List<Publish> got = raw.publishes(3);
            assertThat(raw.rest()).isEmpty();
            Publish p1 = got.get(0);
            Publish p2 = got.get(1);
            Publish p3 = got.get(2);
            assertThat(p1.topic()).isEqualTo("out/a");
            assertThat(p1.properties().integer(PropertyId.TOPIC_ALIAS)).isEqualTo(1);
            assertThat(p2.topic()).isEmpty();
            assertThat(p2.properties().integer(PropertyId.TOPIC_ALIAS)).isEqualTo(1);
            assertThat(p3.topic()).isEqualTo("out/b"); // no alias left
            assertThat(p3.properties().contains(PropertyId.TOPIC_ALIAS)).isFalse();
            got.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }

    // No Paho test for outbound aliases: Paho Java 1.2.5 hands messageArrived an empty topic for an
    // alias it was sent (eclipse-paho/paho.mqtt.java#866); the raw-socket test above checks the wire.

    @Test
    void outboundQos1IsLimitedByTheClientsReceiveMaximum() throws Exception {
        start();
        Properties rm2 = Properties.builder().add(PropertyId.RECEIVE_MAXIMUM, 2).build();
        try (CodecClient raw = CodecClient.connect(port(), "slow", rm2)) {
            subscribe(raw, "rm/#", 1);
            V5Client pub = client("pub");
            for (int i = 0; i < 5; i++) {
                pub.publish("rm/x", "m" + i, 1);
            }
            List<Publish> first = raw.publishes(2);
            assertThat(raw.rest()).isEmpty(); // the window of 2 is full
            raw.send(new Puback(first.get(0).packetId()));
            List<Publish> next = raw.publishes(1);
            assertThat(raw.rest()).isEmpty();
            assertThat(next.get(0).payload().toString(StandardCharsets.UTF_8)).isEqualTo("m2");
            first.forEach(io.netty.util.ReferenceCountUtil::release);
            next.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }

    @Test
    void inboundQos2BeyondOurReceiveMaximumIsReceiveMaximumExceeded() throws Exception {
        start(b -> b.maxInflightMessages = 2);
        V5Client other = client("other");
        other.subscribe("rmx/#", 0);
        try (CodecClient raw = CodecClient.connect(port(), "eager", Properties.NONE)) {
            raw.send(publish("rmx/1", 2, 1, Properties.NONE, "a"));
            raw.send(publish("rmx/2", 2, 2, Properties.NONE, "b"));
            assertThat(raw.next()).isInstanceOf(Pubrec.class);
            assertThat(raw.next()).isInstanceOf(Pubrec.class);
            raw.send(publish("rmx/3", 2, 3, Properties.NONE, "c")); // no PUBREL sent: 3 unacknowledged
            assertThat(raw.next()).isInstanceOfSatisfying(Disconnect.class,
                    d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED));
        }
        assertThat(other.paho.isConnected()).isTrue();
    }

    @Test
    void aMessageLargerThanTheClientsMaximumPacketSizeIsDroppedAndCounted() throws Exception {
        start();
        V5Client sub = client("small", o -> o.setMaximumPacketSize(200L));
        sub.subscribe("mps/#", 1);
        V5Client pub = client("pub");
        long droppedBefore = broker.stats().publishDropped.sum();
        pub.publish("mps/x", "small-1", 1);
        pub.publish("mps/x", new byte[500], 1, false, null);
        pub.publish("mps/x", "small-2", 1);
        await().until(() -> sub.received.size() == 2);
        assertThat(sub.texts()).containsExactly("small-1", "small-2");
        assertThat(broker.stats().publishDropped.sum()).isEqualTo(droppedBefore + 1);
    }

    @Test
    void overlappingSubscriptionsDeliverOnceWithEverySubscriptionIdentifier() throws Exception {
        start();
        V5Client sub = client("ids");
        sub.subscribe(new MqttSubscription("id/#", 1), 7);
        sub.subscribe(new MqttSubscription("id/+", 0), 9);
        sub.subscribe(new MqttSubscription("id/x", 1), null);
        client("pub").publish("id/x", "m", 1);
        await().until(() -> sub.received.size() == 1);
        assertThat(sub.received.get(0).message().getProperties().getSubscriptionIdentifiers())
                .containsExactlyInAnyOrder(7, 9);
    }

    @Test
    void eachSubscriberGetsItsOwnSubscriptionIdentifierSmallOrLarge() throws Exception {
        start();
        V5Client small = client("small-id");
        small.subscribe(new MqttSubscription("sid/#", 1), 5);
        V5Client large = client("large-id");
        large.subscribe(new MqttSubscription("sid/+", 1), 268_435_455); // the largest allowed
        V5Client none = client("no-id");
        none.subscribe(new MqttSubscription("sid/x", 1), null);
        V5Client pub = client("pub");
        for (int i = 0; i < 3; i++) {
            pub.publish("sid/x", "m" + i, 1);
        }
        await().until(() -> small.received.size() == 3 && large.received.size() == 3 && none.received.size() == 3);
        for (int i = 0; i < 3; i++) {
            assertThat(small.received.get(i).message().getProperties().getSubscriptionIdentifiers()).containsExactly(5);
            assertThat(large.received.get(i).message().getProperties().getSubscriptionIdentifiers())
                    .containsExactly(268_435_455);
            assertThat(none.received.get(i).message().getProperties().getSubscriptionIdentifiers()).isEmpty();
        }
    }

    @Test
    void retainedMessagesCarryTheSubscriptionIdentifierToo() throws Exception {
        start();
        client("pub").publish("rid/x", "kept".getBytes(StandardCharsets.UTF_8), 1, true, null);
        V5Client sub = client("sub");
        sub.subscribe(new MqttSubscription("rid/#", 1), 42);
        await().until(() -> sub.received.size() == 1);
        assertThat(sub.received.get(0).message().getProperties().getSubscriptionIdentifiers()).containsExactly(42);
        assertThat(sub.received.get(0).message().isRetained()).isTrue();
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        start();
        V5Client self = client("self");
        MqttSubscription s = new MqttSubscription("nl/#", 1);
        s.setNoLocal(true);
        self.subscribe(s, null);
        V5Client other = client("other");
        other.subscribe("nl/#", 1);
        self.publish("nl/x", "mine", 1);
        client("third").publish("nl/x", "theirs", 1);
        await().until(() -> self.texts().contains("theirs") && other.received.size() == 2);
        assertThat(self.texts()).containsExactly("theirs");
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnForwardedMessages() throws Exception {
        start();
        V5Client keeps = client("keeps");
        MqttSubscription rap = new MqttSubscription("rap/#", 1);
        rap.setRetainAsPublished(true);
        keeps.subscribe(rap, null);
        V5Client clears = client("clears");
        clears.subscribe("rap/#", 1);
        client("pub").publish("rap/x", "r".getBytes(StandardCharsets.UTF_8), 1, true, null);
        await().until(() -> keeps.received.size() == 1 && clears.received.size() == 1);
        assertThat(keeps.received.get(0).message().isRetained()).isTrue();
        assertThat(clears.received.get(0).message().isRetained()).isFalse();
    }

    @Test
    void retainHandlingChoosesWhenRetainedMessagesAreSent() throws Exception {
        start();
        V5Client pub = client("pub");
        pub.publish("rh/x", "kept".getBytes(StandardCharsets.UTF_8), 1, true, null);
        V5Client sub = client("sub");

        MqttSubscription always = new MqttSubscription("rh/#", 1);
        always.setRetainHandling(0);
        sub.subscribe(always, null);
        await().until(() -> sub.texts().equals(List.of("kept")));
        sub.subscribe(always, null); // again: 0 sends them again
        await().until(() -> sub.texts().equals(List.of("kept", "kept")));

        MqttSubscription ifNew = new MqttSubscription("rh/#", 1);
        ifNew.setRetainHandling(1);
        sub.subscribe(ifNew, null); // existing subscription: nothing
        MqttSubscription ifNewFresh = new MqttSubscription("rh/+", 1);
        ifNewFresh.setRetainHandling(1);
        sub.subscribe(ifNewFresh, null); // new subscription: sent

        MqttSubscription never = new MqttSubscription("rh/x", 1);
        never.setRetainHandling(2);
        sub.subscribe(never, null);

        pub.publish("rh/marker", "marker", 1); // matches rh/# and rh/+ only: one delivery
        await().until(() -> sub.texts().contains("marker"));
        assertThat(sub.texts()).containsExactly("kept", "kept", "kept", "marker");
    }
}
