package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.QueueEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Will;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every stored record survives a round trip, and a damaged or foreign one is refused, never misread. */
class RecordCodecTest {

    private static final Properties RICH = Properties.builder()
            .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
            .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 4_000_000_000L)
            .add(PropertyId.CONTENT_TYPE, "text/plain; ünïcode")
            .add(PropertyId.CORRELATION_DATA, new byte[] {0, 1, 2, (byte) 255})
            .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455)
            .userProperty("k", "v")
            .userProperty("k", "second")
            .build();

    @Test
    void messageRoundTripsWithPropertiesAndBinaryPayload() {
        byte[] payload = {0, (byte) 0xFF, 10, 13, 0};
        Message m = new Message("a/b/ç", 2, true, RICH, Unpooled.wrappedBuffer(payload), "publisher-1");
        byte[] value = MessageCodec.encode(m);
        assertThat(m.payload().readerIndex()).isZero();
        StoredMessage back = MessageCodec.decode(value);
        assertThat(back.topic()).isEqualTo("a/b/ç");
        assertThat(back.qos()).isEqualTo(2);
        assertThat(back.retain()).isTrue();
        assertThat(back.publisherId()).isEqualTo("publisher-1");
        assertThat(back.properties()).isEqualTo(RICH);
        assertThat(back.payload()).isEqualTo(payload);
        m.release();
    }

    @Test
    void messageWithoutPublisherOrPropertiesRoundTrips() {
        Message m = new Message("t", 1, false, Properties.NONE, Unpooled.EMPTY_BUFFER, null);
        StoredMessage back = MessageCodec.decode(MessageCodec.encode(m));
        assertThat(back.publisherId()).isNull();
        assertThat(back.properties()).isSameAs(Properties.NONE);
        assertThat(back.payload()).isEmpty();
    }

    @Test
    void queueEntryRoundTrips() {
        for (QueueEntry e : new QueueEntry[] {
                new QueueEntry(1, 1, false, 0, false),
                new QueueEntry(Long.MAX_VALUE, 2, true, 65535, true),
                new QueueEntry(42, 2, false, 7, false),
                new QueueEntry(43, 1, true, 0, false, new int[] {1, 268_435_455})}) {
            assertThat(EntryCodec.decode(EntryCodec.encode(e))).isEqualTo(e);
        }
        assertThat(new QueueEntry(1, 1, false, 0, false).inflight()).isFalse();
        assertThat(new QueueEntry(1, 1, false, 9, false).inflight()).isTrue();
    }

    @Test
    void sessionRecordRoundTripsWithAndWithoutWill() {
        Will will = new Will("clients/x/state", "gone".getBytes(StandardCharsets.UTF_8), 1, true, RICH);
        SessionRecord connected = new SessionRecord(77, 3600, true, 0, will);
        SessionRecord back = SessionCodec.decode(SessionCodec.encode(connected));
        assertThat(back).isEqualTo(connected);
        SessionRecord away = new SessionRecord(78, -1, false, 1_700_000_000_000L, null);
        assertThat(SessionCodec.decode(SessionCodec.encode(away))).isEqualTo(away);
    }

    @Test
    void subscriptionRoundTripsPlainAndShared() {
        Subscriber plain = new Subscriber("c1", null, "a/+/c", 2, true, true, 2, 12345);
        assertThat(SubscriptionCodec.decode("c1", SubscriptionCodec.encode(plain))).isEqualTo(plain);
        Subscriber shared = new Subscriber("c1", "group", "a/#", 1, false, false, 0, 0);
        assertThat(SubscriptionCodec.decode("c1", SubscriptionCodec.encode(shared))).isEqualTo(shared);
    }

    @Test
    void retainedRoundTrips() {
        RetainedMessage m = new RetainedMessage("r/t", new byte[] {1, 2, 3}, 1, RICH, 1234, 5678);
        RetainedMessage back = RetainedCodec.decode(RetainedCodec.encode(m));
        assertThat(back.topic()).isEqualTo("r/t");
        assertThat(back.payload()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(back.qos()).isEqualTo(1);
        assertThat(back.properties()).isEqualTo(RICH);
        assertThat(back.storedAtMillis()).isEqualTo(1234);
        assertThat(back.expiresAtMillis()).isEqualTo(5678);
        assertThat(back.sourceClientId()).isNull();

        RetainedMessage sourced = new RetainedMessage("r/t", new byte[] {1}, 0, RICH, 1, 0, "pub-1", "alice");
        RetainedMessage again = RetainedCodec.decode(RetainedCodec.encode(sourced));
        assertThat(again.sourceClientId()).isEqualTo("pub-1");
        assertThat(again.sourceUsername()).isEqualTo("alice");
    }

    /** A retained record written before the source was stored (format 1) reads as of unknown source. */
    @Test
    void aFormat1RetainedRecordStillReads() {
        RecordWriter w = new RecordWriter(64).u8(1).string("r/old").u8(1).i64(10).i64(0);
        PropertiesCodec.write(w, io.courtier.codec.Properties.NONE);
        RetainedMessage old = RetainedCodec.decode(w.bytes(new byte[] {7}).toBytes());
        assertThat(old.topic()).isEqualTo("r/old");
        assertThat(old.payload()).isEqualTo(new byte[] {7});
        assertThat(old.sourceClientId()).isNull();
        assertThat(old.sourceUsername()).isNull();
    }

    @Test
    void keysSortNumericallySoQueuesKeepTheirOrder() {
        byte[] a = Keys.entry(5, 255);
        byte[] b = Keys.entry(5, 256);
        byte[] c = Keys.entry(6, 1);
        assertThat(Arrays.compareUnsigned(a, b)).isNegative();
        assertThat(Arrays.compareUnsigned(b, c)).isNegative();
        assertThat(Arrays.compareUnsigned(b, Keys.ownerEnd(5))).isNegative();
        assertThat(Arrays.compareUnsigned(c, Keys.ownerEnd(5))).isNotNegative();
        assertThat(Keys.owner(b)).isEqualTo(5);
        assertThat(Keys.entrySeq(b)).isEqualTo(256);
        assertThat(Keys.inboundPacketId(Keys.inbound(9, 65535))).isEqualTo(65535);
        assertThat(Keys.owner(Keys.subscription(9, "$share/g/a/#"))).isEqualTo(9);
        assertThat(Keys.id(Keys.id(Long.MAX_VALUE - 3))).isEqualTo(Long.MAX_VALUE - 3);
    }

    @Test
    void truncatedRecordsAreRefused() {
        byte[] entry = EntryCodec.encode(new QueueEntry(1, 1, false, 0, false));
        assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(entry, entry.length - 1)))
                .isInstanceOf(CorruptRecordException.class);
        Message m = new Message("t", 1, false, RICH, Unpooled.wrappedBuffer(new byte[100]), "p");
        byte[] message = MessageCodec.encode(m);
        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(message, 50)))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void trailingBytesAndUnknownVersionsAreRefused() {
        byte[] entry = EntryCodec.encode(new QueueEntry(1, 1, false, 0, false));
        assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(entry, entry.length + 1)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("trailing");
        byte[] future = entry.clone();
        future[0] = 9;
        assertThatThrownBy(() -> EntryCodec.decode(future)).hasMessageContaining("format 9");
        byte[] session = SessionCodec.encode(new SessionRecord(1, -1, false, 0, null));
        session[0] = 2;
        assertThatThrownBy(() -> SessionCodec.decode(session)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void impossibleLengthsAreRefusedWithoutHugeAllocations() {
        byte[] bogus = {1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> MessageCodec.decode(bogus)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> RetainedCodec.decode(bogus)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> SubscriptionCodec.decode("c", bogus)).isInstanceOf(CorruptRecordException.class);
    }
}
