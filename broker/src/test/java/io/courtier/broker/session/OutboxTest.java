package io.courtier.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.model.Message;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session's outbound side alone, on a recording link: the in-flight window, the queue behind it,
 * the limits that drop, acknowledgements, and what a reconnection resends.
 */
class OutboxTest {

    private final SessionFixture fixture = new SessionFixture();
    private final RecordingLink link = new RecordingLink();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Session connected(SessionLimits limits) {
        Session s = fixture.session("sub", Session.NEVER, limits);
        fixture.onLoop(() -> s.resume(link));
        return s;
    }

    private void deliver(Session s, int qos, String payload) {
        Message m = SessionFixture.message("t", qos, payload);
        fixture.onLoop(() -> s.deliver(m, qos, false));
        m.release();
    }

    @Test
    void qos1MessagesBeyondTheInflightWindowWaitInTheQueueAndFollowEachAcknowledgement() {
        Session s = connected(new SessionLimits(2, 100, 0, false));
        deliver(s, 1, "a");
        deliver(s, 1, "b");
        deliver(s, 1, "c");
        assertThat(link.payloads).containsExactly("a", "b");
        assertThat(s.inflightCount()).isEqualTo(2);
        assertThat(s.queuedCount()).isEqualTo(1);

        int first = link.publishes().get(0).packetId();
        assertThat(fixture.onLoop(() -> s.onPuback(first))).isTrue();
        assertThat(link.payloads).containsExactly("a", "b", "c");
        assertThat(s.queuedCount()).isZero();
        assertThat(fixture.onLoop(() -> s.onPuback(first))).as("an id acknowledged twice").isFalse();
    }

    @Test
    void aFullQueueDropsTheNewMessageAndCountsIt() {
        Session s = connected(new SessionLimits(1, 1, 0, false));
        deliver(s, 1, "in flight");
        deliver(s, 1, "queued");
        deliver(s, 1, "dropped");
        assertThat(s.queuedCount()).isEqualTo(1);
        assertThat(fixture.stats.publishDropped.sum()).isEqualTo(1);
    }

    @Test
    void qos0IsNotQueuedForAnOfflineClientUnlessAskedTo() {
        Session plain = fixture.session("off", Session.NEVER, new SessionLimits(10, 10, 0, false));
        deliver(plain, 0, "gone");
        assertThat(plain.queuedCount()).isZero();

        Session queueing = fixture.session("off2", Session.NEVER, new SessionLimits(10, 10, 0, true));
        deliver(queueing, 0, "kept");
        assertThat(queueing.queuedCount()).isEqualTo(1);
        fixture.onLoop(() -> queueing.resume(link));
        assertThat(link.payloads).containsExactly("kept");
    }

    @Test
    void aReconnectionResendsWhatWasInFlightWithDupAndPubrelWherePubrecCame() {
        Session s = connected(new SessionLimits(10, 10, 0, false));
        deliver(s, 1, "one");
        deliver(s, 2, "two");
        int qos2Id = link.publishes().get(1).packetId();
        assertThat(fixture.onLoop(() -> s.onPubrec(qos2Id))).isTrue();
        assertThat(link.sent.get(link.sent.size() - 1)).isEqualTo(new Pubrel(qos2Id));

        RecordingLink again = new RecordingLink();
        fixture.onLoop(() -> {
            s.detach(link);
            s.resume(again);
        });
        assertThat(again.sent).hasSize(2);
        Publish resent = (Publish) again.sent.get(0);
        assertThat(resent.dup()).isTrue();
        assertThat(again.payloads.get(0)).isEqualTo("one");
        assertThat(again.sent.get(1)).isEqualTo(new Pubrel(qos2Id));
    }

    @Test
    void theClientsReceiveMaximumNarrowsTheWindow() {
        link.receiveMaximum = 1;
        Session s = connected(new SessionLimits(20, 100, 0, false));
        deliver(s, 1, "a");
        deliver(s, 1, "b");
        assertThat(link.publishes()).hasSize(1);
        assertThat(s.queuedCount()).isEqualTo(1);
    }

    @Test
    void nothingIsWrittenToASocketThatIsNotWritableUntilTheSessionDrains() {
        Session s = connected(new SessionLimits(20, 100, 0, false));
        link.writable = false;
        deliver(s, 1, "later");
        assertThat(link.publishes()).isEmpty();
        link.writable = true;
        fixture.onLoop(s::drain);
        assertThat(link.payloads).containsExactly("later");
    }
}
