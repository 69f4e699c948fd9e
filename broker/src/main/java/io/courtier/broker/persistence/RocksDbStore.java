package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import io.netty.util.concurrent.EventExecutor;
import io.courtier.broker.config.Tunables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store: RocksDB written by one persistence thread with group commit. Event loops
 * add changes to a lock-free queue and go on; the thread takes everything that queued up while
 * its previous write was syncing, writes it as one {@code WriteBatch} (synced under
 * {@code persistence_sync always}), then hands each callback back to its event loop.
 *
 * <p>Under {@code persistence_sync interval} batches are written without sync — RocksDB has
 * then handed them to the operating system, so a killed broker loses nothing, but a power
 * failure or kernel crash loses what was written since the last sync — and the log is synced
 * every {@code autosave_interval} seconds (or changes, with {@code autosave_on_changes}).
 *
 * <p>A failed write (disk full, I/O error) fails every callback of its batch: nothing is
 * acknowledged that is not stored. The error is logged once; later batches retry, reopening
 * the database if it stays failed, and a success is logged when it recovers.
 */
public final class RocksDbStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    /** Tunables.storeMaxBatch. */
    private final int maxBatch;
    private static final long REOPEN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How often the log is synced under {@code persistence_sync interval}. */
    public record IntervalSync(long seconds, boolean onChanges) {
    }

    /** A change with its callback (plain or counted), or a queue read. */
    private record Op(Change change, EventExecutor loop, Consumer<Throwable> done, Committed counted,
                      QueueRead read) {
        boolean hasCallback() {
            return done != null || counted != null;
        }
    }

    private record QueueRead(long storeId, long[] exclude, int limit, Consumer<QueuePage> done) {
    }

    private final Path dir;
    private final IntervalSync interval;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closing;
    private RocksDbFiles files;
    private final WriteOptions writeOptions;
    private RecoveredState recovered;

    // owned by the persistence thread
    private boolean failing;
    /** Told how long each durable batch write took (the metrics' store latency); a no-op until set. */
    private volatile java.util.function.LongConsumer batchLatency = nanos -> { };
    private long failures;
    private long lastFailureNanos;
    private long unsyncedChanges;
    private long lastSyncNanos = System.nanoTime();
    private long batches;

    private RocksDbStore(Path dir, IntervalSync interval, Tunables tunables) {
        this.dir = dir;
        this.maxBatch = tunables.storeMaxBatch();
        this.interval = interval;
        this.files = RocksDbFiles.open(dir);
        this.writeOptions = new WriteOptions().setSync(interval == null);
        try {
            Recovery recovery = new Recovery(files, tunables.memoryWindow());
            this.recovered = recovery.read();
            ids.set(recovery.highestId());
        } catch (RuntimeException e) {
            files.close();
            writeOptions.close();
            throw e instanceof StoreException ? e : new StoreException("Cannot read the persistence store " + dir
                    + ": " + e.getMessage() + " (corrupt? refusing to start rather than lose it)", e);
        }
        this.thread = new Thread(this::run, "courtier-persistence");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Opens (or creates) the store in a directory.
     *
     * @param interval null for {@code persistence_sync always}
     */
    public static RocksDbStore open(Path dir, IntervalSync interval) {
        return open(dir, interval, Tunables.DEFAULTS);
    }

    /** As {@link #open(Path, IntervalSync)}, with the broker's memory window and batch bound. */
    public static RocksDbStore open(Path dir, IntervalSync interval, Tunables tunables) {
        return new RocksDbStore(dir, interval, tunables);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public RecoveredState recover() {
        RecoveredState r = recovered;
        recovered = RecoveredState.EMPTY;
        return r == null ? RecoveredState.EMPTY : r;
    }

    @Override
    public void submit(Change change, EventExecutor loop, Consumer<Throwable> done) {
        if (closing) {
            if (done != null) {
                loop.execute(() -> done.accept(new StoreException("the store is closed")));
            }
            return;
        }
        enqueue(new Op(change, loop, done, null, null));
    }

    @Override
    public void submitCounted(Change change, EventExecutor loop, Committed done) {
        if (closing) {
            loop.execute(() -> done.committed(new StoreException("the store is closed"), 0));
            return;
        }
        enqueue(new Op(change, loop, null, done, null));
    }

    @Override
    public void readQueue(long storeId, long[] exclude, int limit, EventExecutor loop, Consumer<QueuePage> done) {
        if (closing) {
            return;
        }
        enqueue(new Op(null, loop, null, null, new QueueRead(storeId, exclude, limit, done)));
    }

    private void enqueue(Op op) {
        queue.offer(op);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    // ---- the persistence thread --------------------------------------------------------

    private void run() {
        List<Op> ops = new ArrayList<>();
        while (true) {
            Op op;
            while (ops.size() < maxBatch && (op = queue.poll()) != null) {
                ops.add(op);
            }
            if (!ops.isEmpty()) {
                process(ops);
                ops.clear();
                syncIfDue(false);
                continue;
            }
            syncIfDue(false);
            if (closing && queue.isEmpty()) {
                break;
            }
            sleeping = true;
            if (queue.isEmpty() && !closing) {
                if (interval != null && interval.seconds() > 0 && !interval.onChanges()) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(interval.seconds()));
                } else {
                    LockSupport.park(this);
                }
            }
            sleeping = false;
        }
        syncIfDue(true);
    }

    /** Commits the changes in order; a queue read first commits what came before it. */
    private void process(List<Op> ops) {
        int from = 0;
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).read != null) {
                if (i > from) {
                    commit(ops.subList(from, i));
                }
                read(ops.get(i));
                from = i + 1;
            }
        }
        if (from < ops.size()) {
            commit(ops.subList(from, ops.size()));
        }
    }

    private void read(Op op) {
        QueueRead r = op.read;
        QueuePage page;
        try {
            if (files == null) {
                throw new StoreException("the store is not open");
            }
            page = QueueReader.read(files, r.storeId, r.exclude, r.limit, batches);
        } catch (RocksDBException | RuntimeException e) {
            LOG.warn("Reading a queue from {} failed: {}", dir, e.toString());
            page = new QueuePage(List.of(), 0, false);
        }
        QueuePage result = page;
        try {
            op.loop.execute(() -> r.done.accept(result));
        } catch (RuntimeException rejected) {
            result.release();
        }
    }

    /** Reports the duration of every batch write from now on (called from the persistence thread). */
    public void onBatchLatency(java.util.function.LongConsumer listener) {
        batchLatency = listener;
    }

    private void commit(List<Op> ops) {
        Throwable failure = null;
        long started = System.nanoTime();
        try {
            if (failing && System.nanoTime() - lastFailureNanos > REOPEN_AFTER_NANOS) {
                reopen();
            }
            if (files == null) {
                throw new StoreException("the store could not be reopened");
            }
            try (RocksBatch batch = new RocksBatch(files)) {
                for (Op op : ops) {
                    op.change.applyTo(batch);
                }
                batch.finish();
                if (!batch.isEmpty()) {
                    files.db.write(writeOptions, batch.batch);
                    unsyncedChanges += ops.size();
                    batchLatency.accept(System.nanoTime() - started);
                }
            }
            if (failing) {
                failing = false;
                LOG.warn("Persistence recovered after {} failed writes; acknowledging QoS 1 and 2 again.", failures);
                failures = 0;
            }
        } catch (RocksDBException | RuntimeException e) {
            failure = e;
            failures++;
            lastFailureNanos = System.nanoTime();
            if (!failing) {
                failing = true;
                LOG.error("Persistence write to {} failed: {}. QoS 1 and 2 publishes are not acknowledged until it"
                        + " succeeds again; QoS 0 and deliveries go on.", dir, e.getMessage());
            }
        }
        batches++;
        dispatch(ops, failure, batches);
    }

    /** RocksDB stays read-only after a failed log write; reopening clears that once the disk has room. */
    private void reopen() {
        lastFailureNanos = System.nanoTime();
        if (files != null) {
            try {
                files.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the failed store: {}", e.toString());
            }
            files = null;
        }
        files = RocksDbFiles.open(dir);
    }

    /** Hands callbacks back to their loops, one task per loop, in submission order. */
    private static void dispatch(List<Op> ops, Throwable failure, long batch) {
        Map<EventExecutor, List<Op>> byLoop = new IdentityHashMap<>();
        for (Op op : ops) {
            if (op.hasCallback()) {
                byLoop.computeIfAbsent(op.loop, k -> new ArrayList<>()).add(op);
            }
        }
        for (Map.Entry<EventExecutor, List<Op>> e : byLoop.entrySet()) {
            List<Op> list = e.getValue();
            try {
                e.getKey().execute(() -> {
                    for (Op op : list) {
                        try {
                            if (op.done != null) {
                                op.done.accept(failure);
                            } else {
                                op.counted.committed(failure, batch);
                            }
                        } catch (RuntimeException ex) {
                            LOG.warn("A persistence callback failed", ex);
                        }
                    }
                });
            } catch (RuntimeException rejected) {
                LOG.debug("Event loop gone, dropping {} persistence callbacks", list.size());
            }
        }
    }

    private void syncIfDue(boolean force) {
        if (interval == null || unsyncedChanges == 0 || files == null) {
            return;
        }
        boolean due = force
                || (interval.onChanges() ? interval.seconds() > 0 && unsyncedChanges >= interval.seconds()
                : interval.seconds() > 0
                && System.nanoTime() - lastSyncNanos >= TimeUnit.SECONDS.toNanos(interval.seconds()));
        if (!due) {
            return;
        }
        try {
            files.db.flushWal(true);
            unsyncedChanges = 0;
            lastSyncNanos = System.nanoTime();
        } catch (RocksDBException e) {
            LOG.error("Persistence sync of {} failed: {}", dir, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive() && files != null) {
            files.close();
            writeOptions.close();
        }
    }
}
