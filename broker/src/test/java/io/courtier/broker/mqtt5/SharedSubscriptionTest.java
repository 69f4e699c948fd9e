package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * $share/GROUP/FILTER: one delivery per group, spread over its online members; and the policy for
 * a member that leaves with unacknowledged QoS 1/2 messages: they stay with its session while it
 * lives (resent on reconnect), and go to another member when the session ends.
 */
class SharedSubscriptionTest extends Mqtt5Test {

    @Test
    void eachGroupGetsEveryMessageOnceSpreadOverItsMembers() throws Exception {
        start();
        V5Client a = client("a");
        V5Client b = client("b");
        V5Client other = client("other");
        V5Client plain = client("plain");
        a.subscribe("$share/g/s/#", 1);
        b.subscribe("$share/g/s/#", 1);
        other.subscribe("$share/h/s/#", 1);
        plain.subscribe("s/#", 1);
        V5Client pub = client("pub");
        for (int i = 0; i < 10; i++) {
            pub.publish("s/x", "m" + i, 1);
        }
        await().until(() -> a.received.size() + b.received.size() == 10 && other.received.size() == 10
                && plain.received.size() == 10);
        assertThat(a.received).isNotEmpty();
        assertThat(b.received).isNotEmpty();
        assertThat(concat(a.texts(), b.texts())).containsExactlyInAnyOrderElementsOf(other.texts());
    }

    @Test
    void retainedMessagesAreNotSentToSharedSubscriptions() throws Exception {
        start();
        V5Client pub = client("pub");
        pub.publish("sr/x", "kept".getBytes(StandardCharsets.UTF_8), 1, true, null);
        V5Client member = client("member");
        member.subscribe("$share/g/sr/#", 1);
        member.subscribe("marker", 1);
        pub.publish("marker", "marker", 1);
        await().until(() -> member.texts().contains("marker"));
        assertThat(member.texts()).containsExactly("marker");
    }

    private static CodecClient rawMember(int port, String id, long expiry, boolean cleanStart) throws Exception {
        CodecClient raw = new CodecClient(port);
        // The will tells the test when the broker has seen the connection end.
        io.courtier.codec.Will will = new io.courtier.codec.Will("left/" + id, new byte[] {1}, 0, false,
                Properties.NONE);
        raw.send(new Connect(MqttVersion.V5, id, cleanStart, 0, null, null, will,
                Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, expiry).build()));
        assertThat(raw.next()).isInstanceOf(Connack.class);
        return raw;
    }

    private static void subscribe(CodecClient raw, String filter) throws Exception {
        raw.send(new Subscribe(1, List.of(new Subscription(filter, 1)), Properties.NONE));
        assertThat(raw.next()).isInstanceOf(Suback.class);
    }

    /** The payloads of the next {@code n} PUBLISHes, marked when sent again (DUP). */
    private static List<String> payloads(CodecClient raw, int n) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Publish pub : raw.publishes(n)) {
            out.add(pub.payload().toString(StandardCharsets.UTF_8) + (pub.dup() ? " (dup)" : ""));
            pub.release();
        }
        return out;
    }

    @Test
    void aLeaversUnacknowledgedMessagesGoToAnotherMemberWhenItsSessionEnds() throws Exception {
        start();
        V5Client pub = client("pub");
        try (CodecClient leaver = rawMember(port(), "leaver", 0, true)) {
            subscribe(leaver, "$share/g/h/#");
            pub.publish("h/x", "unacked", 1); // the only member gets it and never acknowledges it
            assertThat(payloads(leaver, 1)).containsExactly("unacked");
            V5Client stayer = client("stayer");
            stayer.subscribe("$share/g/h/#", 1);
            leaver.close(); // session expiry 0: the session ends with the connection
            await().until(() -> stayer.texts().contains("unacked"));
        }
    }

    @Test
    void aLeaverWithALivingSessionKeepsItsMessagesAndGetsThemOnReconnect() throws Exception {
        start();
        V5Client pub = client("pub");
        V5Client stayer;
        try (CodecClient leaver = rawMember(port(), "keeper", 60, true)) {
            subscribe(leaver, "$share/g/k/#");
            pub.publish("k/x", "held", 1);
            assertThat(payloads(leaver, 1)).containsExactly("held");
            stayer = client("stayer");
            stayer.subscribe("$share/g/k/#", 1);
            stayer.subscribe("left/#", 0);
        }
        await().until(() -> stayer.received.stream().anyMatch(r -> r.topic().equals("left/keeper")));
        pub.publish("k/x", "while away", 1); // online members are preferred
        await().until(() -> stayer.texts().contains("while away"));
        try (CodecClient back = rawMember(port(), "keeper", 60, false)) {
            assertThat(payloads(back, 1)).containsExactly("held (dup)");
        }
        assertThat(stayer.received).filteredOn(r -> r.topic().startsWith("k/"))
                .extracting(V5Client.Received::text).containsExactly("while away");
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> all = new java.util.ArrayList<>(x);
        all.addAll(y);
        return all;
    }
}
