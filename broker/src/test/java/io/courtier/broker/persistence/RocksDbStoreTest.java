package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.persistence.codec.SubscriptionCodec;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.Will;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

/** The store on its own: group commit callbacks, reference counts, session removal, recovery, refusals. */
class RocksDbStoreTest {

    @TempDir
    Path tmp;

    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Path dir() {
        return tmp.resolve("store");
    }

    private static byte[] message(String topic, String payload) {
        Message m = new Message(topic, 1, false, Properties.NONE,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "pub");
        try {
            return MessageCodec.encode(m);
        } finally {
            m.release();
        }
    }

    /** Submits and waits for the callback, checking it runs on the loop it was submitted from. */
    private void write(Store store, Store.Change change) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.submit(change, loop, failure -> {
            assertThat(loop.inEventLoop()).isTrue();
            done.complete(failure);
        });
        assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
    }

    private static String payload(QueuePage.Entry e) {
        return e.message().payload().toString(StandardCharsets.UTF_8);
    }

    @Test
    void callbacksRunOnTheirLoopInSubmissionOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            CompletableFuture<Void> last = new CompletableFuture<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                long id = store.nextId();
                store.submit(b -> b.putInbound(id, n + 1), loop, failure -> {
                    assertThat(loop.inEventLoop()).isTrue();
                    order.add(n);
                    if (n == 499) {
                        last.complete(null);
                    }
                });
            }
            last.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).hasSize(500).isSorted();
    }

    @Test
    void recoversSessionsWithSubscriptionsQueueInflightInboundAndRetained() throws Exception {
        Will will = new Will("w/t", new byte[] {1}, 1, false, Properties.NONE);
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            long sid = store.nextId();
            long msg = store.nextId();
            long s1 = store.nextId();
            long s2 = store.nextId();
            long s3 = store.nextId();
            Subscriber sub = new Subscriber("c1", null, "a/#", 2, false, false, 0, 0);
            write(store, b -> {
                b.putSession("c1", new SessionRecord(sid, -1, true, 0, will));
                b.putSubscription(sid, "a/#", SubscriptionCodec.encode(sub));
                b.putMessage(msg, message("a/1", "one"), 3);
                b.putEntry(sid, s1, new QueueEntry(msg, 2, false, 5, true));
                b.putEntry(sid, s2, new QueueEntry(msg, 1, false, 6, false));
                b.putEntry(sid, s3, new QueueEntry(msg, 1, true, 0, false));
                b.putInbound(sid, 300);
                b.putRetained("r/1", RetainedCodec.encode(new RetainedMessage("r/1", new byte[] {9}, 1,
                        Properties.NONE, 1, 0)));
            });
        }
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            RecoveredState state = store.recover();
            assertThat(state.sessions()).hasSize(1);
            RecoveredSession s = state.sessions().get(0);
            assertThat(s.clientId()).isEqualTo("c1");
            assertThat(s.record().will()).isEqualTo(will);
            assertThat(s.record().connected()).isTrue();
            assertThat(s.subscriptions()).extracting(Subscriber::filter).containsExactly("a/#");
            assertThat(s.entries()).extracting(e -> e.entry().packetId()).containsExactly(5, 6, 0);
            assertThat(s.entries().get(0).entry().pubrelSent()).isTrue();
            assertThat(s.entries()).allMatch(e -> payload(e).equals("one"));
            assertThat(s.entries().get(0).message()).isSameAs(s.entries().get(2).message()); // stored once
            assertThat(s.inboundQos2()).containsExactly(300);
            assertThat(state.retained()).extracting(RetainedMessage::topic).containsExactly("r/1");
            assertThat(state.queuedMessages()).isEqualTo(3);
            assertThat(store.nextId()).isGreaterThan(s.entries().get(2).seq());
            state.release();
        }
    }

    @Test
    void aMessageGoesWhenItsLastEntryGoes() throws Exception {
        long sa;
        long sb;
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            sa = store.nextId();
            sb = store.nextId();
            long msg = store.nextId();
            long ea = store.nextId();
            long eb = store.nextId();
            write(store, b -> {
                b.putSession("a", new SessionRecord(sa, -1, false, 1, null));
                b.putSession("b", new SessionRecord(sb, -1, false, 1, null));
                b.putMessage(msg, message("t", "shared"), 2);
                b.putEntry(sa, ea, new QueueEntry(msg, 1, false, 0, false));
                b.putEntry(sb, eb, new QueueEntry(msg, 1, false, 0, false));
            });
            write(store, b -> b.removeEntry(sa, ea, msg));
        }
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            RecoveredState state = store.recover();
            assertThat(state.messages()).hasSize(1);
            RecoveredSession b = state.sessions().stream().filter(s -> s.clientId().equals("b")).findFirst().get();
            assertThat(b.entries()).hasSize(1);
            write(store, batch -> batch.removeEntry(sb, b.entries().get(0).seq(), b.entries().get(0).entry().messageId()));
            state.release();
        }
        assertThat(countKeys("messages")).isZero();
        assertThat(countKeys("refs")).isZero();
    }

    @Test
    void droppingASessionRemovesEverythingOfIt() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            long keep = store.nextId();
            long gone = store.nextId();
            long m1 = store.nextId();
            long m2 = store.nextId();
            write(store, b -> {
                b.putSession("keep", new SessionRecord(keep, -1, false, 1, null));
                b.putSession("gone", new SessionRecord(gone, -1, false, 1, null));
                b.putSubscription(gone, "x", SubscriptionCodec.encode(new Subscriber("gone", null, "x", 1, false,
                        false, 0, 0)));
                b.putMessage(m1, message("x", "only-gone"), 1);
                b.putEntry(gone, store.nextId(), new QueueEntry(m1, 1, false, 0, false));
                b.putMessage(m2, message("x", "both"), 2);
                b.putEntry(gone, store.nextId(), new QueueEntry(m2, 1, false, 0, false));
                b.putEntry(keep, store.nextId(), new QueueEntry(m2, 1, false, 0, false));
                b.putInbound(gone, 1);
            });
            write(store, b -> b.dropSession("gone", gone));
        }
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            RecoveredState state = store.recover();
            assertThat(state.sessions()).extracting(RecoveredSession::clientId).containsExactly("keep");
            assertThat(state.sessions().get(0).entries()).singleElement().satisfies(e ->
                    assertThat(payload(e)).isEqualTo("both"));
            state.release();
        }
        assertThat(countKeys("messages")).isEqualTo(1);
        assertThat(countKeys("subscriptions")).isZero();
        assertThat(countKeys("inbound")).isZero();
    }

    @Test
    void recoveryRemovesRecordsOfSessionsThatNoLongerExist() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            long orphan = 999;
            long msg = store.nextId();
            write(store, b -> {
                b.putMessage(msg, message("t", "orphan"), 1);
                b.putEntry(orphan, store.nextId(), new QueueEntry(msg, 1, false, 0, false));
                b.putInbound(orphan, 4);
            });
        }
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            RecoveredState state = store.recover();
            assertThat(state.sessions()).isEmpty();
            assertThat(store.nextId()).isGreaterThan(999);
        }
        assertThat(countKeys("entries")).isZero();
        assertThat(countKeys("messages")).isZero();
        assertThat(countKeys("inbound")).isZero();
    }

    @Test
    void intervalSyncStillKeepsWhatWasWrittenAcrossAReopen() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(dir(), new RocksDbStore.IntervalSync(1800, false))) {
            long sid = store.nextId();
            write(store, b -> b.putSession("c", new SessionRecord(sid, -1, false, 1, null)));
        }
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            assertThat(store.recover().sessions()).hasSize(1);
        }
    }

    @Test
    void aFileWhereTheStoreShouldBeIsRefused() throws Exception {
        Files.writeString(dir(), "mosquitto database");
        assertThatThrownBy(() -> RocksDbStore.open(dir(), null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("is a file");
        assertThat(Files.readString(dir())).isEqualTo("mosquitto database");
    }

    @Test
    void aForeignNonEmptyDirectoryIsRefusedAndLeftAlone() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> RocksDbStore.open(dir(), null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a Courtier persistence store");
        assertThat(Files.list(dir())).hasSize(1);
    }

    @Test
    void aRocksDbThatIsNotOursIsRefused() throws Exception {
        try (RocksDB other = RocksDB.open(new org.rocksdb.Options().setCreateIfMissing(true), dir().toString())) {
            other.put("k".getBytes(), "v".getBytes());
        }
        assertThatThrownBy(() -> RocksDbStore.open(dir(), null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a Courtier store");
    }

    @Test
    void aCorruptStoreIsAStartUpErrorNotAReset() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            long sid = store.nextId();
            write(store, b -> b.putSession("c", new SessionRecord(sid, -1, false, 1, null)));
        }
        Files.writeString(dir().resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(() -> RocksDbStore.open(dir(), null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot open");
        assertThat(Files.exists(dir().resolve("CURRENT"))).isTrue();
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefused() {
        try (RocksDbStore store = RocksDbStore.open(dir(), null)) {
            assertThatThrownBy(() -> RocksDbStore.open(dir(), null)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another broker");
        }
    }

    private long countKeys(String family) throws Exception {
        try (RocksDbFiles files = RocksDbFiles.open(dir())) {
            org.rocksdb.ColumnFamilyHandle cf = switch (family) {
                case "messages" -> files.messages;
                case "refs" -> files.refs;
                case "entries" -> files.entries;
                case "inbound" -> files.inbound;
                case "subscriptions" -> files.subscriptions;
                default -> throw new IllegalArgumentException(family);
            };
            long n = 0;
            try (var it = files.db.newIterator(cf)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    n++;
                }
            }
            return n;
        }
    }
}
