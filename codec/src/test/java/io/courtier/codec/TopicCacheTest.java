package io.courtier.codec;

import static io.courtier.codec.Wire.bytes;
import static io.courtier.codec.Wire.ints;
import static io.courtier.codec.Wire.pkt;
import static io.courtier.codec.Wire.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One decoder fed PUBLISH after PUBLISH, as a connection is: a repeated topic comes back as the
 * same String, and anything that is not byte-for-byte the last topic is decoded and checked anew.
 */
class TopicCacheTest {

    private final EmbeddedChannel ch = Wire.speaking(MqttVersion.V3_1_1);

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private Publish publish(byte[] packet) {
        List<MqttPacket> packets = Wire.feed(ch, packet, packet.length);
        assertThat(packets).hasSize(1);
        Publish p = (Publish) packets.get(0);
        p.release();
        return p;
    }

    private static byte[] qos0(String topic, String payload) {
        return pkt(0x30, str(topic), ints(payload.chars().toArray()));
    }

    @Test
    void sameTopicTwiceIsTheSameString() {
        Publish first = publish(qos0("site7/dev42/temp", "20.5"));
        Publish second = publish(qos0("site7/dev42/temp", "20.6"));

        assertThat(second.topic()).isEqualTo("site7/dev42/temp").isSameAs(first.topic());
    }

    @Test
    void sameTopicArrivingInPiecesIsStillRecognised() {
        Publish first = publish(qos0("a/b/c", "x"));
        byte[] again = qos0("a/b/c", "y");
        List<MqttPacket> packets = Wire.feed(ch, again, 3);
        Wire.release(packets);

        assertThat(((Publish) packets.get(0)).topic()).isSameAs(first.topic());
    }

    @Test
    void differentTopicOfEqualLengthIsDecoded() {
        publish(qos0("room/1/temp", "1"));
        Publish other = publish(qos0("room/2/temp", "2"));

        assertThat(other.topic()).isEqualTo("room/2/temp");
    }

    @Test
    void topicDifferingOnlyInItsLastByteIsDecoded() {
        publish(qos0("sensors/abcdefgh/x", "1"));
        Publish other = publish(qos0("sensors/abcdefgh/y", "2"));

        assertThat(other.topic()).isEqualTo("sensors/abcdefgh/y");
    }

    @Test
    void prefixOfTheLastTopicIsNotMistakenForIt() {
        publish(qos0("a/b/c", "1"));

        assertThat(publish(qos0("a/b", "2")).topic()).isEqualTo("a/b");
        assertThat(publish(qos0("a/b/c/d", "3")).topic()).isEqualTo("a/b/c/d");
    }

    @Test
    void switchingBackAndForthKeepsEveryTopicRight() {
        for (int i = 0; i < 4; i++) {
            assertThat(publish(qos0("x/é", "1")).topic()).isEqualTo("x/é");
            assertThat(publish(qos0("x/y", "2")).topic()).isEqualTo("x/y");
        }
    }

    @Test
    void invalidUtf8AfterACachedTopicIsStillRejected() {
        publish(qos0("t/ab", "1"));
        // Same length as the cached topic, first bytes equal, last two an overlong '/' [MQTT-1.5.3-1].
        byte[] bad = bytes(0x30, 6, 0, 4, 't', '/', 0xC0, 0xAF);

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
                .isInstanceOfSatisfying(MqttDecoderException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET));
    }

    @Test
    void nulAfterACachedTopicIsStillRejected() {
        publish(qos0("t/a", "1"));
        // U+0000 in place of the last character [MQTT-1.5.3-2].
        byte[] bad = bytes(0x30, 5, 0, 3, 't', '/', 0);

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
                .isInstanceOfSatisfying(MqttDecoderException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET));
    }

    @Test
    void wildcardAfterACachedTopicIsStillRejected() {
        publish(qos0("t/a", "1"));

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(qos0("t/+", "2"))))
                .isInstanceOfSatisfying(MqttDecoderException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR));
    }

    @Test
    void longTopicsAreDecodedEachTimeAndStayCorrect() {
        Publish shortOne = publish(qos0("s/1", "0"));
        String longTopic = "l/" + "x".repeat(TopicCache.MAX_CACHED_BYTES);
        Publish first = publish(qos0(longTopic, "1"));
        Publish second = publish(qos0(longTopic, "2"));

        assertThat(second.topic()).isEqualTo(longTopic).isNotSameAs(first.topic());
        // A topic too long to keep does not push out the short one kept before it.
        assertThat(publish(qos0("s/1", "3")).topic()).isSameAs(shortOne.topic());
    }

    @Test
    void aLongerTopicAfterAShortOneIsKeptWhole() {
        publish(qos0("a", "1"));
        String longer = "b/" + "y".repeat(100);
        Publish first = publish(qos0(longer, "2"));
        Publish again = publish(qos0(longer, "3"));

        assertThat(again.topic()).isEqualTo(longer).isSameAs(first.topic());
        assertThat(publish(qos0("a", "4")).topic()).isEqualTo("a");
    }

    @Test
    void otherStringsInThePacketDoNotDisturbTheCache() {
        EmbeddedChannel v5 = Wire.speaking(MqttVersion.V5);
        try {
            // A PUBLISH whose user property strings come after the topic: only the topic is cached.
            byte[] withProperty = pkt(0x30, str("t/1"), ints(7, 0x26), str("k"), str("v"), ints('p'));
            List<MqttPacket> first = Wire.feed(v5, withProperty, withProperty.length);
            List<MqttPacket> second = Wire.feed(v5, withProperty, withProperty.length);
            Wire.release(first);
            Wire.release(second);

            assertThat(((Publish) second.get(0)).topic()).isSameAs(((Publish) first.get(0)).topic());
            assertThat(((Publish) second.get(0)).properties().userProperties())
                    .containsExactly(new UserProperty("k", "v"));
        } finally {
            v5.finishAndReleaseAll();
        }
    }
}
