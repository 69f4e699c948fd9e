package io.courtier.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.persistence.mosquitto.MosquittoDb;
import io.courtier.broker.persistence.mosquitto.MosquittoDb.States;
import io.courtier.codec.Properties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mapping of Mosquitto's records onto Courtier's, for the cases the real-file tests do not
 * reach: expired sessions and messages, and each message state.
 */
class MosquittoImportTest {

    private static final long NOW = 1_800_000_000_000L;

    /** Records the writes, as text. */
    private static final class Recorded implements StoreBatch {
        final List<String> writes = new ArrayList<>();
        final List<QueueEntry> entries = new ArrayList<>();

        @Override
        public void putMessage(long messageId, byte[] encoded, int references) {
            writes.add("message refs=" + references);
        }

        @Override
        public void putEntry(long storeId, long seq, QueueEntry entry) {
            entries.add(entry);
        }

        @Override
        public void removeEntry(long storeId, long seq, long messageId) {
            writes.add("removeEntry");
        }

        @Override
        public void putInbound(long storeId, int packetId) {
            writes.add("inbound " + packetId);
        }

        @Override
        public void removeInbound(long storeId, int packetId) {
            writes.add("removeInbound");
        }

        @Override
        public void putSubscription(long storeId, String subscriptionKey, byte[] encoded) {
            writes.add("subscription " + subscriptionKey);
        }

        @Override
        public void removeSubscription(long storeId, String subscriptionKey) {
            writes.add("removeSubscription");
        }

        @Override
        public void putSession(String clientId, SessionRecord record) {
            writes.add("session " + clientId + " expiry=" + record.expiryInterval() + " disconnectedAt="
                    + record.disconnectedAtMillis());
        }

        @Override
        public void dropSession(String clientId, long storeId) {
            writes.add("dropSession");
        }

        @Override
        public void putRetained(String topic, byte[] encoded) {
            writes.add("retained " + topic);
        }

        @Override
        public void removeRetained(String topic) {
            writes.add("removeRetained");
        }
    }

    private static MosquittoDb.BaseMessage message(long id, long expiryTime) {
        return new MosquittoDb.BaseMessage(id, expiryTime, "pub", null, "t/" + id, 2, false, new byte[] {1},
                Properties.NONE);
    }

    private static MosquittoDb.ClientMessage out(String client, long id, int mid, int state) {
        return new MosquittoDb.ClientMessage(client, id, mid, 2, state, false, false, true, 0);
    }

    @Test
    void anExpiredSessionTakesItsSubscriptionsAndMessagesWithIt() {
        long nowSeconds = NOW / 1000;
        MosquittoDb db = new MosquittoDb(6, List.of(message(1, 0)),
                List.of(new MosquittoDb.Client("gone", nowSeconds - 10, 60, 0, null),
                        new MosquittoDb.Client("here", nowSeconds + 50, 60, 0, null)),
                List.of(out("gone", 1, 0, States.QUEUED), out("here", 1, 0, States.QUEUED)),
                List.of(new MosquittoDb.Subscription("gone", "a/#", 1, 0, 0),
                        new MosquittoDb.Subscription("here", "a/#", 1, 0, 0)),
                List.of(), List.of());
        Recorded batch = new Recorded();
        ImportCounts counts = MosquittoImport.write(db, batch, NOW, 0);
        // "here" expires in 50 s of its 60: it disconnected 10 s ago.
        assertThat(batch.writes).containsExactly("session here expiry=60 disconnectedAt=" + (NOW - 10_000),
                "subscription a/#", "message refs=1");
        assertThat(counts.sessions()).isEqualTo(1);
        assertThat(counts.expired()).isEqualTo(1);
        assertThat(counts.dropped()).isZero();
    }

    /** persistent_client_expiration bounds a session that would never expire, as on CONNECT. */
    @Test
    void aNeverExpiringSessionGetsThePersistentClientExpiration() {
        MosquittoDb db = new MosquittoDb(6, List.of(), List.of(new MosquittoDb.Client("c", 0, 0xFFFFFFFFL, 0, null)),
                List.of(), List.of(), List.of(), List.of());
        Recorded batch = new Recorded();
        MosquittoImport.write(db, batch, NOW, 14 * 86400);
        assertThat(batch.writes).containsExactly("session c expiry=" + 14 * 86400 + " disconnectedAt=" + NOW);
    }

    /** Damage that kept a chunk's lengths right but broke its text: left out, so the broker still starts. */
    @Test
    void aFilterOrTopicTheBrokerWouldRefuseIsLeftOut() {
        MosquittoDb db = new MosquittoDb(6, List.of(new MosquittoDb.BaseMessage(1, 0, "pub", null, "bad/#", 1, true,
                new byte[] {1}, Properties.NONE)),
                List.of(new MosquittoDb.Client("c", 0, 0xFFFFFFFFL, 0, null)), List.of(out("c", 1, 0, States.QUEUED)),
                List.of(new MosquittoDb.Subscription("c", "a/#/b", 1, 0, 0),
                        new MosquittoDb.Subscription("c", "$share/g/ok/+", 1, 0, 0)),
                List.of(1L), List.of());
        Recorded batch = new Recorded();
        ImportCounts counts = MosquittoImport.write(db, batch, NOW, 0);
        assertThat(batch.writes).containsExactly("session c expiry=4294967295 disconnectedAt=" + NOW,
                "subscription $share/g/ok/+");
        assertThat(counts.dropped()).isEqualTo(4); // the message, the filter, the queue entry, the retained entry
    }

    @Test
    void eachOutgoingStateBecomesQueuedOrInFlightWithItsPubrel() {
        MosquittoDb db = new MosquittoDb(6, List.of(message(1, 0), message(2, NOW / 1000 - 1)),
                List.of(new MosquittoDb.Client("c", 0, 0xFFFFFFFFL, 0, null)),
                List.of(out("c", 1, 5, States.WAIT_FOR_PUBREC), out("c", 1, 6, States.WAIT_FOR_PUBCOMP),
                        out("c", 1, 7, States.RESEND_PUBREL), out("c", 1, 8, States.PUBLISH_QOS2),
                        out("c", 1, 9, States.QUEUED), out("c", 2, 10, States.QUEUED)),
                List.of(), List.of(2L), List.of());
        Recorded batch = new Recorded();
        ImportCounts counts = MosquittoImport.write(db, batch, NOW, 0);
        assertThat(batch.entries).extracting(QueueEntry::packetId).containsExactly(5, 6, 7, 0, 0);
        assertThat(batch.entries).extracting(QueueEntry::pubrelSent).containsExactly(false, true, true, false, false);
        assertThat(counts.inflight()).isEqualTo(3);
        assertThat(counts.queued()).isEqualTo(2);
        // Message 2 expired: neither queued nor retained, and counted once.
        assertThat(counts.expired()).isEqualTo(1);
        assertThat(counts.dropped()).isZero();
        assertThat(counts.retained()).isZero();
    }
}
