package io.courtier.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.codec.Will;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The small parts of a session, each alone: inbound QoS 2 ids, subscriptions, timers, the cross-loop inbox. */
class SessionPartsTest {

    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A journal that holds its callbacks until the test lets the "disk" answer. */
    private static final class SlowJournal implements SessionJournal {
        final List<String> written = new ArrayList<>();
        final List<Runnable> pending = new ArrayList<>();

        @Override
        public long storeId() {
            return 7;
        }

        @Override
        public void connected(String clientId, long expiryInterval, Will will) {
            written.add("connected " + clientId);
        }

        @Override
        public void disconnected(String clientId, long expiryInterval) {
            written.add("disconnected " + clientId);
        }

        @Override
        public void putEntry(long entrySeq, QueueEntry entry, Runnable thenOnLoop) {
            written.add("entry " + entrySeq);
            if (thenOnLoop != null) {
                pending.add(thenOnLoop);
            }
        }

        @Override
        public void removeEntry(long entrySeq, long messageId) {
            written.add("-entry " + entrySeq);
        }

        @Override
        public void putSubscription(String key, Subscriber subscription) {
            written.add("sub " + key);
        }

        @Override
        public void removeSubscription(String key) {
            written.add("-sub " + key);
        }

        @Override
        public void removeInbound(int packetId, Runnable thenOnLoop) {
            written.add("-inbound " + packetId);
            pending.add(thenOnLoop);
        }

        @Override
        public void whenStored(Runnable thenOnLoop) {
            pending.add(thenOnLoop);
        }

        @Override
        public void readQueue(long[] exclude, int limit, Consumer<QueuePage> thenOnLoop) {
            thenOnLoop.accept(new QueuePage(List.of(), 0, true));
        }

        @Override
        public void drop(String clientId) {
            written.add("drop " + clientId);
        }
    }

    @Test
    void anInboundQos2IdIsHeldUntilPubrelAndThePubcompWaitsForTheJournal() {
        SlowJournal journal = new SlowJournal();
        Session s = fixture.session("c", Session.NEVER, new SessionLimits(10, 10, 0, false));
        s.persistTo(journal);
        assertThat(fixture.onLoop(() -> s.beginInboundQos2(5))).isTrue();
        assertThat(fixture.onLoop(() -> s.beginInboundQos2(5))).as("a resent PUBLISH").isFalse();
        assertThat(s.inboundQos2Count()).isEqualTo(1);

        AtomicBoolean pubcomp = new AtomicBoolean();
        fixture.onLoop(() -> s.endInboundQos2(5, known -> pubcomp.set(known)));
        assertThat(journal.written).contains("-inbound 5");
        assertThat(pubcomp).as("PUBCOMP before the journal forgot the id").isFalse();
        fixture.onLoop(() -> journal.pending.forEach(Runnable::run));
        await().untilTrue(pubcomp);
        assertThat(fixture.onLoop(() -> s.holdsInboundQos2(5))).isFalse();
    }

    @Test
    void aPubrelForAnUnknownIdIsToldSoAtOnce() {
        Session s = fixture.session("c", 0, new SessionLimits(10, 10, 0, false));
        List<Boolean> answers = new ArrayList<>();
        fixture.onLoop(() -> s.endInboundQos2(9, answers::add));
        assertThat(answers).containsExactly(false);
    }

    @Test
    void subscriptionsAreKeyedByShareGroupAndFilterAndRecorded() {
        SlowJournal journal = new SlowJournal();
        Session s = fixture.session("c", Session.NEVER, new SessionLimits(10, 10, 0, false));
        s.persistTo(journal);
        fixture.onLoop(() -> {
            s.addSubscription(new Subscriber("c", null, "a/#", 1, false, false, 0, 0));
            s.addSubscription(new Subscriber("c", "g", "a/#", 0, false, false, 0, 0));
        });
        assertThat(s.subscriptionCount()).isEqualTo(2);
        assertThat(journal.written).containsExactly("sub a/#", "sub $share/g/a/#");
        assertThat(fixture.onLoop(() -> s.hasSubscription("g", "a/#"))).isTrue();
        assertThat(fixture.onLoop(() -> s.removeSubscription(null, "a/#")).qos()).isEqualTo(1);
        assertThat(journal.written).endsWith("-sub a/#");
        assertThat(s.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void aRestoredSessionExpiresWhenWhatWasLeftOfItsIntervalRunsOut() {
        Session s = fixture.session("c", 3600, new SessionLimits(10, 10, 0, false));
        AtomicBoolean ended = new AtomicBoolean();
        fixture.onLoop(() -> {
            s.restoreExpiresIn(0); // stored long ago: nothing left of its hour
            s.scheduleExpiry(() -> ended.set(true));
        });
        await().atMost(Duration.ofSeconds(10)).untilTrue(ended);
    }

    @Test
    void aDelayedWillIsPublishedOnceAndNotAfterTheClientCameBack() {
        Session s = fixture.session("c", 3600, new SessionLimits(10, 10, 0, false));
        AtomicInteger published = new AtomicInteger();
        fixture.onLoop(() -> {
            s.scheduleWill(3600, published::incrementAndGet);
            s.firePendingWill(); // the session ended before the delay
            s.firePendingWill();
        });
        assertThat(published).hasValue(1);
        fixture.onLoop(() -> {
            s.scheduleWill(3600, published::incrementAndGet);
            s.cancelWill(); // the client reconnected [MQTT-3.1.3-9]
            s.firePendingWill();
        });
        assertThat(published).hasValue(1);
    }

    @Test
    void theInboxHandsOverInTheOrderEachThreadPushed() throws Exception {
        Inbox inbox = new Inbox();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    inbox.push(new Delivery(null, 0, false, null, null, thread * 10_000L + i));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(inbox.size()).isEqualTo(2000);
        long[] lastOf = {-1, 9_999};
        int n = 0;
        for (Delivery d = inbox.takeAll(); d != null; d = d.next) {
            int thread = (int) (d.entrySeq / 10_000);
            assertThat(d.entrySeq).as("order of thread %d", thread).isGreaterThan(lastOf[thread]);
            lastOf[thread] = d.entrySeq;
            n++;
        }
        inbox.taken(n);
        assertThat(n).isEqualTo(2000);
        assertThat(inbox.size()).isZero();
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void eachPausedPublisherIsWokenExactlyOnce() {
        Inbox inbox = new Inbox();
        AtomicInteger woken = new AtomicInteger();
        inbox.addWaiter(woken::incrementAndGet);
        inbox.addWaiter(woken::incrementAndGet);
        assertThat(inbox.hasWaiters()).isTrue();
        inbox.wakeWaiters();
        inbox.wakeWaiters();
        assertThat(woken).hasValue(2);
        assertThat(inbox.hasWaiters()).isFalse();
    }
}
