package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Topic aliases the broker creates towards MQTT 5 subscribers (Mosquitto 2.1 behaviour), read off
 * the wire byte by byte by a raw socket client: first come first served, at most the client's
 * Topic Alias Maximum and the listener's max_topic_alias_broker, the topic sent once then empty,
 * the message's own properties and payload untouched beside the alias.
 */
class OutboundTopicAliasWireTest {

    /** A PUBLISH as found on the wire: topic as sent, its alias (0: none), user properties and payload. */
    record WirePublish(String topic, int alias, List<String> userProperties, String payload) {
    }

    /** MQTT 5 CONNECT, clean start, with a Topic Alias Maximum property when {@code aliasMaximum} > 0. */
    private static byte[] connectV5(String clientId, int aliasMaximum) {
        byte[] props = aliasMaximum > 0 ? new byte[] {0x22, (byte) (aliasMaximum >> 8), (byte) aliasMaximum} : new byte[0];
        return MqttBytes.packet(0x10, MqttBytes.concat(MqttBytes.string("MQTT"), new byte[] {5, 0x02},
                MqttBytes.u16(60), new byte[] {(byte) props.length}, props, MqttBytes.string(clientId)));
    }

    private static byte[] subscribeV5(int packetId, String filter) {
        return MqttBytes.packet(0x82, MqttBytes.concat(MqttBytes.u16(packetId), new byte[] {0},
                MqttBytes.string(filter), new byte[] {0}));
    }

    /** QoS 0 PUBLISH v5, with one user property when {@code userProperty} is not null. */
    private static byte[] publishV5(String topic, String[] userProperty, String payload) {
        byte[] props = userProperty == null ? new byte[0] : MqttBytes.concat(new byte[] {0x26},
                MqttBytes.string(userProperty[0]), MqttBytes.string(userProperty[1]));
        return MqttBytes.packet(0x30, MqttBytes.concat(MqttBytes.string(topic), new byte[] {(byte) props.length}, props,
                payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static RawClient connect(TestBroker broker, String id, int aliasMaximum) throws Exception {
        RawClient c = RawClient.over(new Socket(broker.host(), broker.port()));
        c.send(connectV5(id, aliasMaximum));
        RawClient.Packet connack = c.read(RawClient.CONNACK);
        assertThat(connack.connackCode()).isZero();
        return c;
    }

    /** Reads a QoS 0 v5 PUBLISH body (MQTT 5.0 section 3.3): topic, properties, payload. */
    private static WirePublish parse(RawClient.Packet p) {
        byte[] b = p.body();
        int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        String topic = new String(b, 2, topicLength, StandardCharsets.UTF_8);
        int at = 2 + topicLength;
        int propsLength = 0;
        int shift = 0;
        int v;
        do {
            v = b[at++] & 0xFF;
            propsLength |= (v & 0x7F) << shift;
            shift += 7;
        } while ((v & 0x80) != 0);
        int end = at + propsLength;
        int alias = 0;
        List<String> user = new ArrayList<>();
        while (at < end) {
            int id = b[at++];
            if (id == 0x23) { // Topic Alias, two-byte integer
                alias = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
                at += 2;
            } else if (id == 0x26) { // User Property, a string pair
                String[] pair = new String[2];
                for (int i = 0; i < 2; i++) {
                    int n = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
                    pair[i] = new String(b, at + 2, n, StandardCharsets.UTF_8);
                    at += 2 + n;
                }
                user.add(pair[0] + "=" + pair[1]);
            } else {
                throw new AssertionError("unexpected property " + id);
            }
        }
        return new WirePublish(topic, alias, user, new String(b, end, b.length - end, StandardCharsets.UTF_8));
    }

    @Test
    void aliasesAreCreatedFirstComeFirstServedUpToTheListenersCap() throws Exception {
        // The client allows 100 aliases; the listener's max_topic_alias_broker is 2.
        try (TestBroker broker = TestBroker.start(b -> b.listeners(List.of(
                ListenerConfig.mqtt(0, null).withMaxTopicAliasBroker(2))));
             RawClient sub = connect(broker, "aliased", 100);
             RawClient plain = connect(broker, "no-aliases", 0);
             RawClient pub = connect(broker, "pub", 0)) {
            sub.send(subscribeV5(1, "t/#"));
            sub.read(RawClient.SUBACK);
            plain.send(subscribeV5(1, "t/#"));
            plain.read(RawClient.SUBACK);
            ByteArrayOutputStream big = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                big.writeBytes("0123456789".getBytes(StandardCharsets.US_ASCII)); // 2,000 bytes: sent beside the header
            }
            String large = big.toString(StandardCharsets.US_ASCII);
            pub.send(publishV5("t/a", null, "1"));
            pub.send(publishV5("t/a", null, "2"));
            pub.send(publishV5("t/b", new String[] {"unit", "C"}, large));
            pub.send(publishV5("t/c", null, "4"));
            pub.send(publishV5("t/b", null, "5"));
            pub.send(publishV5("t/a", null, "6"));

            List<WirePublish> got = sub.readPublishes(6).stream().map(OutboundTopicAliasWireTest::parse).toList();
            assertThat(got).containsExactly(
                    new WirePublish("t/a", 1, List.of(), "1"),
                    new WirePublish("", 1, List.of(), "2"),
                    new WirePublish("t/b", 2, List.of("unit=C"), large),
                    new WirePublish("t/c", 0, List.of(), "4"), // no alias left: the topic in full
                    new WirePublish("", 2, List.of(), "5"),
                    new WirePublish("", 1, List.of(), "6"));
            assertThat(sub.readUntilPingresp()).isEmpty();

            // A client that did not send Topic Alias Maximum gets every topic in full [MQTT-3.3.2-9].
            List<WirePublish> full = plain.readPublishes(6).stream().map(OutboundTopicAliasWireTest::parse).toList();
            assertThat(full).extracting(WirePublish::topic).containsExactly("t/a", "t/a", "t/b", "t/c", "t/b", "t/a");
            assertThat(full).extracting(WirePublish::alias).containsOnly(0);
        }
    }

    @Test
    void aNewConnectionStartsWithNoAliases() throws Exception {
        // Alias mappings last one network connection (MQTT 5.0 section 3.3.2.3.4).
        try (TestBroker broker = TestBroker.start(b -> { });
             RawClient pub = connect(broker, "pub2", 0)) {
            for (int round = 0; round < 2; round++) {
                try (RawClient sub = connect(broker, "again", 10)) {
                    sub.send(subscribeV5(1, "r/#"));
                    sub.read(RawClient.SUBACK);
                    pub.send(publishV5("r/x", null, "p" + round));
                    assertThat(parse(sub.read(RawClient.PUBLISH))).isEqualTo(new WirePublish("r/x", 1, List.of(), "p" + round));
                }
            }
        }
    }
}
