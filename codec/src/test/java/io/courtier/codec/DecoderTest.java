package io.courtier.codec;

import static io.courtier.codec.Wire.bytes;
import static io.courtier.codec.Wire.concat;
import static io.courtier.codec.Wire.decodeOne;
import static io.courtier.codec.Wire.ints;
import static io.courtier.codec.Wire.pkt;
import static io.courtier.codec.Wire.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Well-formed packets of every type and version, written out byte by byte. */
class DecoderTest {

    @Test
    void connect311WithWillUserAndPassword() {
        byte[] data = pkt(0x10,
                str("MQTT"),                     // protocol name
                ints(4),                         // level 4 = 3.1.1
                ints(0b1110_1110),               // user, password, will retain, will QoS 1, will, clean session
                ints(0x00, 0x3C),                // keep alive 60
                str("c1"),                       // client id
                str("w/t"),                      // will topic
                ints(0x00, 0x02, 'b', 'y'),      // will payload "by"
                str("user"),                     // user name
                ints(0x00, 0x02, 'p', 'w'));     // password "pw"
        Connect c = (Connect) decodeOne(null, data);
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(c.clientId()).isEqualTo("c1");
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.keepAlive()).isEqualTo(60);
        assertThat(c.will()).isEqualTo(new Will("w/t", "by".getBytes(StandardCharsets.UTF_8), 1, true, Properties.NONE));
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).containsExactly('p', 'w');
    }

    @Test
    void connect31UsesMqisdp() {
        byte[] data = pkt(0x10,
                str("MQIsdp"),                   // 3.1 protocol name
                ints(3),                         // level 3
                ints(0x02),                      // clean session
                ints(0x00, 0x0A),                // keep alive 10
                str("c"));                       // client id
        Connect c = (Connect) decodeOne(null, data);
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1);
        assertThat(c.clientId()).isEqualTo("c");
    }

    @Test
    void connect5WithPropertiesAndWillProperties() {
        byte[] data = pkt(0x10,
                str("MQTT"), ints(5),
                ints(0x06),                      // will flag, clean start
                ints(0x00, 0x00),                // keep alive 0
                ints(8),                         // properties length 8
                ints(0x11, 0, 0, 0x0E, 0x10),    //   session expiry interval 3600
                ints(0x21, 0x00, 0x0A),          //   receive maximum 10
                str("id"),                       // client id
                ints(5),                         // will properties length 5
                ints(0x18, 0, 0, 0, 30),         //   will delay interval 30
                str("w"),                        // will topic
                ints(0x00, 0x01, 'x'));          // will payload
        Connect c = (Connect) decodeOne(null, data);
        assertThat(c.version()).isEqualTo(MqttVersion.V5);
        assertThat(c.properties().fourByte(PropertyId.SESSION_EXPIRY_INTERVAL)).isEqualTo(3600L);
        assertThat(c.properties().integer(PropertyId.RECEIVE_MAXIMUM)).isEqualTo(10);
        assertThat(c.will().properties().fourByte(PropertyId.WILL_DELAY_INTERVAL)).isEqualTo(30L);
    }

    @Test
    void connack() {
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x20, 2, 0x01, 0x00))).isEqualTo(new Connack(true, 0));
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x20, 2, 0x00, 0x05))).isEqualTo(new Connack(false, 5));
        Connack v5 = (Connack) decodeOne(MqttVersion.V5, pkt(0x20,
                ints(0x00, 0x00), // no session, success
                ints(4),                         // properties length 4
                ints(0x24, 0x01),                //   maximum QoS 1
                ints(0x25, 0x00)));              //   retain not available
        assertThat(v5.properties().integer(PropertyId.MAXIMUM_QOS)).isEqualTo(1);
        assertThat(v5.properties().integer(PropertyId.RETAIN_AVAILABLE)).isEqualTo(0);
    }

    @Test
    void publishAtEachQos() {
        Publish q0 = (Publish) decodeOne(MqttVersion.V3_1_1, pkt(0x30, str("a/b"), ints('!')));
        try {
            assertThat(q0.topic()).isEqualTo("a/b");
            assertThat(q0.qos()).isZero();
            assertThat(q0.packetId()).isZero();
            assertThat(q0.payload().toString(StandardCharsets.UTF_8)).isEqualTo("!");
        } finally {
            q0.release();
        }
        // QoS 2, DUP and RETAIN set, packet id 7, empty payload.
        Publish q2 = (Publish) decodeOne(MqttVersion.V3_1_1, pkt(0x3D, str("t"), ints(0x00, 0x07)));
        try {
            assertThat(q2.qos()).isEqualTo(2);
            assertThat(q2.dup()).isTrue();
            assertThat(q2.retained()).isTrue();
            assertThat(q2.packetId()).isEqualTo(7);
            assertThat(q2.payload().readableBytes()).isZero();
        } finally {
            q2.release();
        }
    }

    @Test
    void publish5WithAliasAndEmptyTopic() {
        Publish p = (Publish) decodeOne(MqttVersion.V5, pkt(0x32,
                str(""),                         // empty topic: legal with an alias
                ints(0x00, 0x01),                // packet id 1
                ints(3, 0x23, 0x00, 0x05),       // properties: topic alias 5
                ints('h', 'i')));                // payload
        try {
            assertThat(p.topic()).isEmpty();
            assertThat(p.properties().integer(PropertyId.TOPIC_ALIAS)).isEqualTo(5);
        } finally {
            p.release();
        }
    }

    @Test
    void acksInBothVersions() {
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x40, 2, 0, 9))).isEqualTo(new Puback(9));
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x50, 2, 0, 9))).isEqualTo(new Pubrec(9));
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x62, 2, 0, 9))).isEqualTo(new Pubrel(9));
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x70, 2, 0, 9))).isEqualTo(new Pubcomp(9));
        // v5 short form (reason omitted = success), reason only, reason and properties.
        assertThat(decodeOne(MqttVersion.V5, bytes(0x40, 2, 0, 9))).isEqualTo(new Puback(9));
        assertThat(decodeOne(MqttVersion.V5, bytes(0x40, 3, 0, 9, 0x10)))
                .isEqualTo(new Puback(9, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.NONE));
        assertThat(decodeOne(MqttVersion.V5, pkt(0x70, ints(0, 9, 0x92, 4), ints(0x1F), str("x"))))
                .isEqualTo(new Pubcomp(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        Properties.builder().add(PropertyId.REASON_STRING, "x").build()));
    }

    @Test
    void subscribeAndSuback() {
        Subscribe s = (Subscribe) decodeOne(MqttVersion.V3_1_1, pkt(0x82,
                ints(0, 1),
                str("a/+"), ints(1),             // a/+ at QoS 1
                str("#"), ints(2)));             // # at QoS 2
        assertThat(s).isEqualTo(new Subscribe(1, List.of(new Subscription("a/+", 1), new Subscription("#", 2)),
                Properties.NONE));
        Subscribe v5 = (Subscribe) decodeOne(MqttVersion.V5, pkt(0x82,
                ints(0, 2),
                ints(2, 0x0B, 7),                // subscription identifier 7
                str("x"), ints(0b0010_1101)));   // retain handling 2, retain as published, no local, QoS 1
        assertThat(v5.subscriptions()).containsExactly(new Subscription("x", 1, true, true, 2));
        assertThat(v5.properties().subscriptionIdentifiers()).containsExactly(7);
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0x90, 4, 0, 1, 0x01, 0x80)))
                .isEqualTo(new Suback(1, List.of(1, 0x80), Properties.NONE));
    }

    @Test
    void unsubscribeAndUnsuback() {
        assertThat(decodeOne(MqttVersion.V3_1_1, pkt(0xA2, ints(0, 3), str("a"))))
                .isEqualTo(new Unsubscribe(3, List.of("a"), Properties.NONE));
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0xB0, 2, 0, 3)))
                .isEqualTo(new Unsuback(3, List.of(), Properties.NONE));
        assertThat(decodeOne(MqttVersion.V5, bytes(0xB0, 5, 0, 3, 0, 0x00, 0x11)))
                .isEqualTo(new Unsuback(3, List.of(0, 0x11), Properties.NONE));
    }

    @Test
    void pingsDisconnectAndAuth() {
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0xC0, 0))).isSameAs(Pingreq.INSTANCE);
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0xD0, 0))).isSameAs(Pingresp.INSTANCE);
        assertThat(decodeOne(MqttVersion.V3_1_1, bytes(0xE0, 0))).isEqualTo(Disconnect.NORMAL);
        assertThat(decodeOne(MqttVersion.V5, bytes(0xE0, 1, 0x04)))
                .isEqualTo(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.NONE));
        Disconnect d = (Disconnect) decodeOne(MqttVersion.V5, bytes(0xE0, 7, 0x00, 5, 0x11, 0, 0, 0, 0));
        assertThat(d.properties().fourByte(PropertyId.SESSION_EXPIRY_INTERVAL)).isZero();
        assertThat(decodeOne(MqttVersion.V5, bytes(0xF0, 0))).isEqualTo(new Auth(0, Properties.NONE));
        assertThat(decodeOne(MqttVersion.V5, pkt(0xF0, ints(0x18, 5, 0x15), str("xx"))))
                .isEqualTo(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                        Properties.builder().add(PropertyId.AUTHENTICATION_METHOD, "xx").build()));
    }

    @Test
    void userPropertiesKeepTheirOrderAndRepeat() {
        Publish p = (Publish) decodeOne(MqttVersion.V5, pkt(0x30,
                str("t"),
                ints(14),
                ints(0x26), str("k"), str("2"),
                ints(0x26), str("k"), str("1")));
        try {
            assertThat(p.properties().userProperties())
                    .containsExactly(new UserProperty("k", "2"), new UserProperty("k", "1"));
        } finally {
            p.release();
        }
    }
}
