package io.courtier.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What one node sends another: a forwarded message keeps everything a subscriber on the other
 * node can see (topic, payload, QoS, retain, publisher, MQTT 5 properties, expiry deadline) and
 * the shared subscription it was sent for; a client table entry names the node and carries the
 * will a survivor publishes.
 */
class WireFormatTest {

    private static Message message(String topic, String payload, int qos, boolean retain, Properties p) {
        return new Message(topic, qos, retain, p, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "pub-1");
    }

    @Test
    void aForwardedMessageArrivesWhole() {
        Properties p = Properties.builder().add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60L).build();
        Message m = message("a/b", "héllo", 2, true, p);
        try {
            Forwarded f = Forwarded.decode(Forwarded.encode("n1", m, "g", "a/+"));
            assertThat(f.from()).isEqualTo("n1");
            assertThat(f.shareGroup()).isEqualTo("g");
            assertThat(f.shareFilter()).isEqualTo("a/+");
            assertThat(f.message().topic()).isEqualTo("a/b");
            assertThat(new String(f.message().payload(), StandardCharsets.UTF_8)).isEqualTo("héllo");
            assertThat(f.message().qos()).isEqualTo(2);
            assertThat(f.message().retain()).isTrue();
            assertThat(f.message().publisherId()).isEqualTo("pub-1");
            assertThat(f.message().properties()).isEqualTo(p);
            assertThat(f.message().expiresAtMillis()).isEqualTo(m.expiresAtMillis()).isPositive();
            assertThat(m.payload().readableBytes()).as("the sender's payload is not consumed").isEqualTo(6);
        } finally {
            m.release();
        }
    }

    @Test
    void anOrdinaryForwardHasNoShareGroup() {
        Message m = message("x", "", 0, false, Properties.NONE);
        try {
            Forwarded f = Forwarded.decode(Forwarded.encode("n2", m, null, null));
            assertThat(f.shareGroup()).isNull();
            assertThat(f.shareFilter()).isNull();
            assertThat(f.message().payload()).isEmpty();
        } finally {
            m.release();
        }
    }

    @Test
    void aClientTableEntryNamesItsNodeAndCarriesTheWillWithItsDelay() {
        Message will = message("w/gone", "bye", 1, true, Properties.NONE);
        try {
            byte[] entry = ClientTable.encode("node-2", will, 4_000_000_000L, false);
            assertThat(ClientTable.nodeOf(entry)).isEqualTo("node-2");
            assertThat(ClientTable.willDelayOf(entry)).isEqualTo(4_000_000_000L); // up to 2^32-1 [MQTT-3.1.3.2.2]
            assertThat(ClientTable.cleanStartOf(entry)).isFalse();
            Message back = ClientTable.willOf(entry);
            try {
                assertThat(back.topic()).isEqualTo("w/gone");
                assertThat(back.qos()).isEqualTo(1);
                assertThat(back.retain()).isTrue();
                assertThat(back.payload().toString(StandardCharsets.UTF_8)).isEqualTo("bye");
            } finally {
                back.release();
            }
        } finally {
            will.release();
        }
        byte[] noWill = ClientTable.encode("node-3", null, 0, true);
        assertThat(ClientTable.nodeOf(noWill)).isEqualTo("node-3");
        assertThat(ClientTable.cleanStartOf(noWill)).isTrue();
        assertThat(ClientTable.willOf(noWill)).isNull();
    }
}
