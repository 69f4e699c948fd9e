package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encoder's outbound topic aliases, read back by netty-codec-mqtt (an independent decoder):
 * topic then alias on first use, empty topic and alias after, the table's size respected, the
 * message's own properties and payload kept, small and large payloads alike.
 */
class EncoderTopicAliasTest {

    private static final String LARGE = "x".repeat(MqttEncoder.COPY_THRESHOLD + 100);

    /** What netty reads: topic, alias (0 when absent), the user property values, the payload. */
    private record Seen(String topic, int alias, List<String> user, String payload) {
    }

    private static List<Seen> encodeAndReadBack(int aliasMaximum, MqttVersion version, List<Publish> publishes) {
        MqttEncoder encoder = new MqttEncoder(version);
        encoder.useTopicAliases(aliasMaximum);
        EmbeddedChannel ours = new EmbeddedChannel(encoder);
        EmbeddedChannel netty = new EmbeddedChannel(new io.netty.handler.codec.mqtt.MqttDecoder());
        // netty learns the protocol level from a CONNECT.
        netty.writeInbound(Unpooled.wrappedBuffer(Wire.encode(new Connect(version, "c", true, 0, null, null, null,
                Properties.NONE), version)));
        io.netty.util.ReferenceCountUtil.release(netty.readInbound());
        List<Seen> seen = new ArrayList<>();
        try {
            for (Publish p : publishes) {
                ours.writeOutbound(p);
                ByteBuf bytes = Unpooled.buffer();
                for (ByteBuf part; (part = ours.readOutbound()) != null; ) {
                    bytes.writeBytes(part);
                    part.release();
                }
                netty.writeInbound(bytes);
                MqttPublishMessage m = netty.readInbound();
                assertThat(m.decoderResult().isSuccess()).as("%s", m.decoderResult()).isTrue();
                MqttProperties props = m.variableHeader().properties();
                MqttProperties.MqttProperty<?> alias = props.getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
                List<String> user = new ArrayList<>();
                for (MqttProperties.MqttProperty<?> u : props.getProperties(MqttProperties.MqttPropertyType.USER_PROPERTY.value())) {
                    MqttProperties.StringPair pair = ((MqttProperties.UserProperty) u).value();
                    user.add(pair.key + "=" + pair.value);
                }
                seen.add(new Seen(m.variableHeader().topicName(), alias == null ? 0 : (Integer) alias.value(), user,
                        m.payload().toString(StandardCharsets.UTF_8)));
                m.release();
            }
        } finally {
            ours.finishAndReleaseAll();
            netty.finishAndReleaseAll();
        }
        return seen;
    }

    private static Publish publish(String topic, Properties props, String payload) {
        return new Publish(topic, 1, false, false, 7, props, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    @Test
    void aliasesAreAssignedInOrderUpToTheMaximumAndKeepTheMessagesProperties() {
        Properties user = Properties.builder().userProperty("k", "v").build();
        List<Seen> seen = encodeAndReadBack(2, MqttVersion.V5, List.of(
                publish("a/1", Properties.NONE, "1"),
                publish("a/1", user, LARGE),
                publish("a/2", Properties.NONE, "3"),
                publish("a/3", user, "4"),
                publish("a/2", Properties.NONE, LARGE)));
        assertThat(seen).containsExactly(
                new Seen("a/1", 1, List.of(), "1"),
                new Seen("", 1, List.of("k=v"), LARGE),
                new Seen("a/2", 2, List.of(), "3"),
                new Seen("a/3", 0, List.of("k=v"), "4"),
                new Seen("", 2, List.of(), LARGE));
    }

    @Test
    void noAliasesBefore311OrWhenTheMaximumIsZero() {
        assertThat(encodeAndReadBack(5, MqttVersion.V3_1_1, List.of(publish("b", Properties.NONE, "x"),
                publish("b", Properties.NONE, "y")))).extracting(Seen::topic).containsExactly("b", "b");
        assertThat(encodeAndReadBack(0, MqttVersion.V5, List.of(publish("b", Properties.NONE, "x"),
                publish("b", Properties.NONE, "y")))).extracting(Seen::alias).containsExactly(0, 0);
    }
}
