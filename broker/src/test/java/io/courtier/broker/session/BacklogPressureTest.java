package io.courtier.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import io.courtier.broker.config.Tunables;
import io.courtier.broker.model.Message;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a subscriber's backlog holds its publishers back, and when it lets them go: the session
 * notes itself in the publisher's {@link Congestion} over the high mark, and runs the publisher's
 * resume action once the backlog is under the low mark again.
 */
class BacklogPressureTest {

    private final SessionFixture fixture = new SessionFixture();
    private final RecordingLink link = new RecordingLink();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private DeliveryTarget offer(Session s, Congestion congestion) {
        Message m = SessionFixture.message("t", 1, "x");
        fixture.onLoop(() -> s.offer(m, 1, false, Message.NO_IDS, null, congestion));
        m.release();
        return fixture.onLoop(congestion::take);
    }

    @Test
    void aBackloggedSubscriberHoldsItsPublisherUntilItCatchesUp() {
        // max_queued_messages 8: the high mark is 4 waiting, the low mark 1.
        Session s = fixture.session("slow", 0, new SessionLimits(1, 8, 0, false));
        fixture.onLoop(() -> s.resume(link));
        link.writable = false; // the client stopped reading
        Congestion congestion = new Congestion();
        for (int i = 0; i < 3; i++) {
            assertThat(offer(s, congestion)).as("message %d, under the high mark", i).isNull();
        }
        assertThat(offer(s, congestion)).as("at the high mark").isSameAs(s);
        assertThat(offer(s, congestion)).as("while it presses").isSameAs(s);

        AtomicBoolean resumed = new AtomicBoolean();
        fixture.onLoop(() -> s.whenRelieved(() -> resumed.set(true)));
        assertThat(resumed).as("still backlogged").isFalse();

        link.writable = true;
        fixture.onLoop(s::drain);
        assertThat(link.publishes()).as("the window of one is open again").hasSize(1);
        for (int i = 0; i < 5 && !resumed.get(); i++) { // each acknowledgement lets one more out
            int last = link.publishes().get(link.publishes().size() - 1).packetId();
            fixture.onLoop(() -> s.onPuback(last));
        }
        assertThat(resumed).as("caught up: the publisher reads again").isTrue();
        assertThat(s.queuedCount()).isLessThanOrEqualTo(1);
    }

    @Test
    void aStalledSubscriberIsLetOffUnlessItWaitsForEverything() {
        // Timers of 50 ms: the let-off comes quickly, and the patient session must outlast it many times.
        Tunables quick = new Tunables(1000, 2048, 512, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofSeconds(30), 4L * 1024 * 1024, 20_000);
        SessionLimits limits = new SessionLimits(1, 8, 0, false, 0, 0, quick);
        Session ordinary = fixture.session("ordinary", 0, limits);
        Session bridge = fixture.session("bridge", 0, limits);
        bridge.neverTooSlow();
        AtomicBoolean ordinaryResumed = new AtomicBoolean();
        AtomicBoolean bridgeResumed = new AtomicBoolean();
        for (Session s : new Session[] {ordinary, bridge}) {
            RecordingLink stalled = new RecordingLink();
            fixture.onLoop(() -> s.resume(stalled));
            stalled.writable = false;
            Congestion congestion = new Congestion();
            DeliveryTarget held = null;
            for (int i = 0; i < 6 && held == null; i++) {
                held = offer(s, congestion);
            }
            assertThat(held).as("%s holds its publisher", s.clientId()).isSameAs(s);
            AtomicBoolean resumed = s == bridge ? bridgeResumed : ordinaryResumed;
            fixture.onLoop(() -> s.whenRelieved(() -> resumed.set(true)));
        }
        await().atMost(Duration.ofSeconds(10)).untilTrue(ordinaryResumed); // found slow: publishers go on
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).untilFalse(bridgeResumed);
    }

    @Test
    void anOfflineSessionNeverHoldsPublishersBack() {
        Session s = fixture.session("away", Session.NEVER, new SessionLimits(1, 4, 0, false));
        Congestion congestion = new Congestion();
        for (int i = 0; i < 6; i++) {
            assertThat(offer(s, congestion)).isNull();
        }
    }
}
