package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * netty-codec-mqtt as an independent reading of the standard: what we encode it must decode to
 * the same fields, and what it encodes we must decode to the same fields.
 */
class NettyOracleTest {

    private static final byte[] PAYLOAD = "payload \u00e9".getBytes(StandardCharsets.UTF_8);

    private static io.netty.handler.codec.mqtt.MqttVersion nettyVersion(MqttVersion v) {
        return switch (v) {
            case V3_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1;
            case V3_1_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1;
            case V5 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
        };
    }

    private static List<MqttPacket> ourPackets(MqttVersion v) {
        Properties publishProps = v.isV5() ? Properties.builder()
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60L)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .userProperty("k", "v").build() : Properties.NONE;
        return List.of(
                new Connect(v, "oracle", true, 30, "user", "pw".getBytes(StandardCharsets.UTF_8),
                        new Will("will/t", PAYLOAD, 1, true, Properties.NONE), Properties.NONE),
                new Publish("a/b", 1, true, false, 12, publishProps, Unpooled.wrappedBuffer(PAYLOAD)),
                new Subscribe(5, List.of(new Subscription("a/+", 1), new Subscription("b/#", 2)), Properties.NONE),
                new Unsubscribe(6, List.of("a/+"), Properties.NONE),
                new Puback(12),
                Pingreq.INSTANCE,
                Disconnect.NORMAL);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void nettyDecodesWhatWeEncode(MqttVersion v) {
        EmbeddedChannel netty = new EmbeddedChannel(new io.netty.handler.codec.mqtt.MqttDecoder());
        try {
            for (MqttPacket ours : ourPackets(v)) {
                netty.writeInbound(Unpooled.wrappedBuffer(Wire.encode(ours, v)));
                MqttMessage theirs = netty.readInbound();
                try {
                    assertThat(theirs.decoderResult().isSuccess()).as("%s: %s", ours.type(), theirs.decoderResult()).isTrue();
                    assertSame(ours, theirs);
                } finally {
                    io.netty.util.ReferenceCountUtil.release(theirs);
                    if (ours instanceof Publish p) {
                        p.release();
                    }
                }
            }
        } finally {
            netty.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void weDecodeWhatNettyEncodes(MqttVersion v) {
        EmbeddedChannel netty = new EmbeddedChannel(io.netty.handler.codec.mqtt.MqttEncoder.INSTANCE);
        EmbeddedChannel ours = Wire.server();
        try {
            MqttProperties props = new MqttProperties();
            if (v.isV5()) {
                props.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 60));
                props.add(new MqttProperties.UserProperty("k", "v"));
            }
            List<MqttMessage> theirs = List.of(
                    MqttMessageBuilders.connect().protocolVersion(nettyVersion(v)).clientId("oracle")
                            .cleanSession(true).keepAlive(30).username("user")
                            .password("pw".getBytes(StandardCharsets.UTF_8))
                            .willFlag(true).willTopic("will/t").willMessage(PAYLOAD).willQoS(MqttQoS.AT_LEAST_ONCE)
                            .willRetain(true).build(),
                    MqttMessageBuilders.publish().topicName("a/b").qos(MqttQoS.AT_LEAST_ONCE).retained(true)
                            .messageId(12).properties(props).payload(Unpooled.wrappedBuffer(PAYLOAD)).build(),
                    MqttMessageBuilders.subscribe().messageId(5).addSubscription(MqttQoS.AT_LEAST_ONCE, "a/+")
                            .addSubscription(MqttQoS.EXACTLY_ONCE, "b/#").build(),
                    MqttMessageBuilders.unsubscribe().messageId(6).addTopicFilter("a/+").build(),
                    new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PUBACK, false,
                            MqttQoS.AT_MOST_ONCE, false, 2), MqttMessageIdVariableHeader.from(12)),
                    MqttMessage.PINGREQ,
                    MqttMessage.DISCONNECT);
            for (MqttMessage m : theirs) {
                if (v.isV5()) {
                    netty.attr(io.netty.util.AttributeKey.<io.netty.handler.codec.mqtt.MqttVersion>valueOf(
                            "NETTY_CODEC_MQTT_VERSION")).set(io.netty.handler.codec.mqtt.MqttVersion.MQTT_5);
                }
                // Netty's encoder reads the version from CONNECT; keep one channel for all.
                io.netty.util.ReferenceCountUtil.retain(m); // the encoder releases one reference
                netty.writeOutbound(m);
                ByteBuf bytes = netty.readOutbound();
                ours.writeInbound(bytes);
                MqttPacket decoded = ours.readInbound();
                try {
                    assertThat(decoded).as("decoding %s", m.fixedHeader().messageType()).isNotNull();
                    assertSame(decoded, m);
                } finally {
                    io.netty.util.ReferenceCountUtil.release(m);
                    if (decoded instanceof Publish p) {
                        p.release();
                    }
                }
            }
        } finally {
            netty.finishAndReleaseAll();
            ours.finishAndReleaseAll();
        }
    }

    /** Compares the fields both models have. */
    private static void assertSame(MqttPacket ours, MqttMessage theirs) {
        switch (ours.type()) {
            case CONNECT -> {
                Connect c = (Connect) ours;
                MqttConnectMessage m = (MqttConnectMessage) theirs;
                assertThat(m.variableHeader().name()).isEqualTo(c.version().protocolName());
                assertThat(m.variableHeader().version()).isEqualTo(c.version().level());
                assertThat(m.payload().clientIdentifier()).isEqualTo(c.clientId());
                assertThat(m.variableHeader().isCleanSession()).isEqualTo(c.cleanStart());
                assertThat(m.variableHeader().keepAliveTimeSeconds()).isEqualTo(c.keepAlive());
                assertThat(m.payload().userName()).isEqualTo(c.username());
                assertThat(m.payload().passwordInBytes()).isEqualTo(c.password());
                assertThat(m.payload().willTopic()).isEqualTo(c.will().topic());
                assertThat(m.payload().willMessageInBytes()).isEqualTo(c.will().payload());
                assertThat(m.variableHeader().willQos()).isEqualTo(c.will().qos());
                assertThat(m.variableHeader().isWillRetain()).isEqualTo(c.will().retain());
            }
            case PUBLISH -> {
                Publish p = (Publish) ours;
                MqttPublishMessage m = (MqttPublishMessage) theirs;
                assertThat(m.variableHeader().topicName()).isEqualTo(p.topic());
                assertThat(m.fixedHeader().qosLevel().value()).isEqualTo(p.qos());
                assertThat(m.fixedHeader().isRetain()).isEqualTo(p.retained());
                assertThat(m.variableHeader().packetId()).isEqualTo(p.packetId());
                assertThat(ByteBufUtil.getBytes(m.payload())).isEqualTo(ByteBufUtil.getBytes(p.payload()));
                MqttProperties np = m.variableHeader().properties();
                Long expiry = p.properties().fourByte(PropertyId.MESSAGE_EXPIRY_INTERVAL);
                MqttProperties.MqttProperty<?> theirExpiry =
                        np.getProperty(MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value());
                assertThat(theirExpiry == null ? null : ((Integer) theirExpiry.value()).longValue()).isEqualTo(expiry);
                assertThat(np.getProperties(MqttProperties.MqttPropertyType.USER_PROPERTY.value())).hasSize(
                        p.properties().userProperties().size());
            }
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) ours;
                MqttSubscribeMessage m = (MqttSubscribeMessage) theirs;
                assertThat(m.variableHeader().messageId()).isEqualTo(s.packetId());
                List<MqttTopicSubscription> subs = m.payload().topicSubscriptions();
                assertThat(subs).hasSize(s.subscriptions().size());
                for (int i = 0; i < subs.size(); i++) {
                    assertThat(subs.get(i).topicFilter()).isEqualTo(s.subscriptions().get(i).filter());
                    assertThat(subs.get(i).qualityOfService().value()).isEqualTo(s.subscriptions().get(i).qos());
                }
            }
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) ours;
                MqttUnsubscribeMessage m = (MqttUnsubscribeMessage) theirs;
                assertThat(m.variableHeader().messageId()).isEqualTo(u.packetId());
                assertThat(m.payload().topics()).isEqualTo(u.filters());
            }
            case PUBACK -> assertThat(((MqttMessageIdVariableHeader) theirs.variableHeader()).messageId())
                    .isEqualTo(((Puback) ours).packetId());
            case PINGREQ, DISCONNECT -> assertThat(theirs.fixedHeader().messageType().value())
                    .isEqualTo(ours.type().value());
            default -> throw new AssertionError(ours.type());
        }
    }
}
