package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.Consumer;

/**
 * Where durable state goes (DESIGN.md, "Durability contract"). Callers describe a change as a
 * {@link Change} that writes typed records into a {@link StoreBatch}; the store applies changes
 * in submission order on its own thread, groups all that arrived while the previous disk sync
 * ran into one batch, and then runs each {@code done} callback on the event loop it was
 * submitted from, with {@code null} on success or the failure. Event loops never wait on disk.
 * Callbacks submitted from one loop run in submission order.
 *
 * <p>{@link MemoryStore} ({@code persistence false}) writes nothing and completes at once, on
 * the calling thread.
 */
public interface Store extends AutoCloseable {

    /** Whether changes reach a disk; when false callers may skip building them. */
    boolean durable();

    /** A fresh identifier for a message, a queue entry or a session, unique in this store. */
    long nextId();

    /** Applies a change; {@code done} (may be null) runs on {@code loop} once it is durable, or failed. */
    void submit(Change change, EventExecutor loop, Consumer<Throwable> done);

    /**
     * As {@link #submit}, telling the callback the number of the group commit that carried the
     * change; numbers grow with commit order (0 from a store that is not durable).
     */
    default void submitCounted(Change change, EventExecutor loop, Committed done) {
        submit(change, loop, failure -> done.committed(failure, Long.MAX_VALUE)); // unknown: never "seen" 
    }

    /**
     * Reads up to {@code limit} of a session's queue entries in order, skipping the sequences in
     * {@code exclude} (sorted; the ones the session holds in memory), after everything submitted
     * before is written. {@code done} runs on {@code loop}.
     */
    default void readQueue(long storeId, long[] exclude, int limit, EventExecutor loop, Consumer<QueuePage> done) {
        loop.execute(() -> done.accept(new QueuePage(java.util.List.of(), 0, true)));
    }

    /** What the store held at start-up; read once, before any {@link #submit}. */
    default RecoveredState recover() {
        return RecoveredState.EMPTY;
    }

    /** Writes what is pending, syncs, and releases the store. */
    @Override
    void close();

    /** A completion that learns which group commit carried its change. */
    @FunctionalInterface
    interface Committed {
        void committed(Throwable failure, long batch);
    }

    /** A change to durable state, run on the store's thread. */
    @FunctionalInterface
    interface Change {
        void applyTo(StoreBatch batch);
    }
}
