package io.courtier.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
            byte[] entry = ClientTable.encode("node-2", will, 4_000_000_000L, false, false);
            assertThat(ClientTable.nodeOf(entry)).isEqualTo("node-2");
            assertThat(ClientTable.willDelayOf(entry)).isEqualTo(4_000_000_000L); // up to 2^32-1 [MQTT-3.1.3.2.2]
            assertThat(ClientTable.cleanStartOf(entry)).isFalse();
            assertThat(ClientTable.persistentOf(entry)).isFalse();
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
        byte[] noWill = ClientTable.encode("node-3", null, 0, true, true);
        assertThat(ClientTable.nodeOf(noWill)).isEqualTo("node-3");
        assertThat(ClientTable.cleanStartOf(noWill)).isTrue();
        assertThat(ClientTable.persistentOf(noWill)).isTrue();
        assertThat(ClientTable.willOf(noWill)).isNull();
    }

    @Test
    void aParkedSessionsHeaderKeepsItsSubscriptionsAndSaysWhereItIsOnline() {
        List<io.courtier.broker.model.Subscriber> subs = List.of(
                new io.courtier.broker.model.Subscriber("x", null, "a/#", 2, true, false, 1, 7),
                new io.courtier.broker.model.Subscriber("x", "g", "b/+", 1, false, true, 0, 0));
        ParkedHeader online = ParkedHeader.decode(ParkedHeader.encode(60, 1_000, subs, "n2"), "c1");
        assertThat(online.onlineAt()).isEqualTo("n2");
        assertThat(online.subscriptions()).containsExactly(
                new io.courtier.broker.model.Subscriber("c1", null, "a/#", 2, true, false, 1, 7),
                new io.courtier.broker.model.Subscriber("c1", "g", "b/+", 1, false, true, 0, 0));
        assertThat(online.expired(1_000_000, io.courtier.broker.session.Session.NEVER)).isFalse(); // online
        ParkedHeader parked = ParkedHeader.decode(online.parkedNow(2_000), "c1");
        assertThat(parked.online()).isFalse();
        assertThat(parked.expired(62_000, io.courtier.broker.session.Session.NEVER)).isFalse();
        assertThat(parked.expired(62_001, io.courtier.broker.session.Session.NEVER)).isTrue();
    }

    /** The entry processors as Hazelcast runs them on one copy of an entry. */
    private static <R> R run(Map.Entry<String, ParkedQueue> entry,
                             com.hazelcast.map.EntryProcessor<String, ParkedQueue, R> op) {
        return op.process(entry);
    }

    private static ParkedEntry entry(String origin) {
        Message m = message("t", origin, 1, false, Properties.NONE);
        try {
            return new ParkedEntry(origin, m, 1, false, null, 0, false, 0);
        } finally {
            m.release();
        }
    }

    private static List<String> payloads(List<ParkedEntry> entries) {
        return entries.stream().map(e -> {
            var held = e.held(false);
            try {
                return held.message().payload().toString(StandardCharsets.UTF_8);
            } finally {
                held.message().release();
            }
        }).toList();
    }

    @Test
    void aParkedQueueKeepsEachMessageOnceInOrderAndATakeClosesIt() {
        var e = new java.util.AbstractMap.SimpleEntry<String, ParkedQueue>("c1", null);
        run(e, new ParkedQueueOps.Append(java.util.List.of(entry("a:1"), entry("a:2")), 1, 0, 0, 0));
        run(e, new ParkedQueueOps.Append(java.util.List.of(entry("a:2"), entry("b:1")), 2, 0, 0, 0)); // a retry, a new one
        // What the parking node held is older: ahead of what others appended meanwhile.
        run(e, new ParkedQueueOps.Park(java.util.List.of(entry("p:1"), entry("a:1")), 3));
        java.util.List<ParkedEntry> taken = run(e, new ParkedQueueOps.Take("n2", 4));
        assertThat(payloads(taken)).containsExactly("p:1", "a:1", "a:2", "b:1");
        // Late: refused, naming the node that has the session now; nothing lands in the queue.
        Object late = run(e, new ParkedQueueOps.Append(java.util.List.of(entry("b:2")), 5, 0, 0, 0));
        assertThat(ParkedQueueOps.Append.takenBy(late)).isEqualTo("n2");
        assertThat(e.getValue().entries).isEmpty();
        // Parked again (its client went): open again, behind what the session held.
        run(e, new ParkedQueueOps.Park(java.util.List.of(entry("c:1")), 6));
        run(e, new ParkedQueueOps.Append(java.util.List.of(entry("c:1"), entry("c:2")), 7, 0, 0, 0));
        assertThat(payloads(run(e, new ParkedQueueOps.Take("n3", 8)))).containsExactly("c:1", "c:2");
    }

    @Test
    void aQueueTakenByANodeThatLeftOpensAgainForThatNodeOnly() {
        var e = new java.util.AbstractMap.SimpleEntry<String, ParkedQueue>("c1", null);
        run(e, new ParkedQueueOps.Take("n2", 1));
        run(e, new ParkedQueueOps.Reopen("n3", 2));
        assertThat(e.getValue().takenBy).isEqualTo("n2");
        run(e, new ParkedQueueOps.Reopen("n2", 3));
        assertThat(ParkedQueueOps.Append.dropped(run(e, new ParkedQueueOps.Append(java.util.List.of(entry("a:1")), 4,
                0, 0, 0)))).isZero();
        assertThat(payloads(e.getValue().entries)).containsExactly("a:1");
    }

    @Test
    void aParkedQueueKeepsWithinMaxQueuedMessagesAndBytesAndSaysHowManyItDropped() {
        var e = new java.util.AbstractMap.SimpleEntry<String, ParkedQueue>("c1", null);
        Object answer = run(e, new ParkedQueueOps.Append(java.util.List.of(entry("a:1"), entry("a:2"), entry("a:3")),
                1, 2, 0, 0));
        assertThat(ParkedQueueOps.Append.dropped(answer)).isEqualTo(1);
        assertThat(payloads(run(e, new ParkedQueueOps.Take("n2", 2)))).containsExactly("a:1", "a:2");

        // Payloads of 3 bytes ("b:1"), at most 7 bytes: two fit, as on one broker (size + queued <= max).
        var b = new java.util.AbstractMap.SimpleEntry<String, ParkedQueue>("c2", null);
        answer = run(b, new ParkedQueueOps.Append(java.util.List.of(entry("b:1"), entry("b:2"), entry("b:3")), 1, 0,
                7, 0));
        assertThat(ParkedQueueOps.Append.dropped(answer)).isEqualTo(1);
        assertThat(payloads(b.getValue().entries)).containsExactly("b:1", "b:2");
    }

    @Test
    void aHandoverFrameCarriesTheMessageWhole() {
        ParkedEntry e = entry("n1:7");
        e.subscriptionIds = new int[] {3, 9};
        HandoverFrames.Frame f = HandoverFrames.decode(HandoverFrames.redirect("n1", "c1", e));
        assertThat(f.kind()).isEqualTo(HandoverFrames.REDIRECT);
        assertThat(f.from()).isEqualTo("n1");
        assertThat(f.clientId()).isEqualTo("c1");
        assertThat(f.entry().origin).isEqualTo("n1:7");
        assertThat(f.entry().subscriptionIds).containsExactly(3, 9);
        assertThat(f.entry().size).isEqualTo(4);
        assertThat(payloads(java.util.List.of(f.entry()))).containsExactly("n1:7");
        HandoverFrames.Frame r = HandoverFrames.decode(HandoverFrames.released("n3", "c1", 1234L));
        assertThat(r.kind()).isEqualTo(HandoverFrames.RELEASED);
        assertThat(r.parkedAt()).isEqualTo(1234L);
        HandoverFrames.Frame ready = HandoverFrames.decode(HandoverFrames.ready("n2", "c1", 1234L));
        assertThat(ready.kind()).isEqualTo(HandoverFrames.READY);
        assertThat(ready.from()).isEqualTo("n2");
        assertThat(ready.parkedAt()).isEqualTo(1234L);
        assertThat(r.entry()).isNull();
        Message m = message("t", "x", 1, false, Properties.NONE);
        try {
            assertThat(HandoverFrames.isHandover(Forwarded.encode("n1", m, null, null))).isFalse();
        } finally {
            m.release();
        }
    }

    private static ParkedEntry entry(String origin, long at) {
        ParkedEntry e = entry(origin);
        e.at = at;
        return e;
    }

    @Test
    void sharesOfAParkedQueueKeptOnSeveralDisksMergeInOrderEachOnceAndOnlyForTheirGeneration() {
        var e = new java.util.AbstractMap.SimpleEntry<String, ParkedQueue>("c1", null);
        // Node a parked the session (generation 7) holding a:1, then appended a:5; node b appended b:3, b:6.
        assertThat(run(e, new ParkedQueueOps.Restore(java.util.List.of(entry("b:3", 3), entry("b:6", 6)), 1, 7)))
                .isTrue();
        assertThat(run(e, new ParkedQueueOps.Restore(
                java.util.List.of(entry("a:1", 1), entry("a:5", 5), entry("b:6", 6)), 1, 7))).isTrue();
        // A share of an older parking of the session (taken since) is refused.
        assertThat(run(e, new ParkedQueueOps.Restore(java.util.List.of(entry("old:2", 2)), 1, 6))).isFalse();
        assertThat(payloads(run(e, new ParkedQueueOps.Take("tok", 2)))).containsExactly("a:1", "b:3", "a:5", "b:6");
    }

    @Test
    void aParkedMessageKeptOnDiskReadsBackTheSame() {
        ParkedEntry e = entry("n1:42", 1234);
        e.qos = 2;
        e.packetId = 9;
        e.pubrelSent = true;
        e.subscriptionIds = new int[] {3, 4};
        ParkedEntry back = ParkedEntry.fromBytes(e.toBytes());
        assertThat(back.origin).isEqualTo("n1:42");
        assertThat(back.at).isEqualTo(1234);
        assertThat(back.qos).isEqualTo(2);
        assertThat(back.packetId).isEqualTo(9);
        assertThat(back.pubrelSent).isTrue();
        assertThat(back.subscriptionIds).containsExactly(3, 4);
        assertThat(payloads(java.util.List.of(back))).containsExactly("n1:42");
    }

    @Test
    void aHeaderKeptOnDiskComesBackOnlyWhereTheClusterKnowsNothingNewer() {
        var e = new java.util.AbstractMap.SimpleEntry<String, byte[]>("c1", null);
        byte[] gen5 = ParkedHeader.encode(60, 5, List.of(), null);
        byte[] gen9 = ParkedHeader.encode(60, 9, List.of(), null);
        assertThat(new ParkedHeaderOps.Restore(5, gen5).process(e)).isTrue();
        assertThat(new ParkedHeaderOps.Restore(9, gen9).process(e)).isTrue(); // parked again since: newer wins
        assertThat(e.getValue()).isEqualTo(gen9);
        assertThat(new ParkedHeaderOps.Restore(5, gen5).process(e)).isFalse();
        e.setValue(ParkedHeader.encode(60, 12, java.util.List.of(), "n2")); // online at n2 since
        assertThat(new ParkedHeaderOps.Restore(9, gen9).process(e)).isFalse();
    }
}
