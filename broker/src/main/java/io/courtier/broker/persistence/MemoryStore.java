package io.courtier.broker.persistence;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** {@code persistence false}: everything lives in memory, as in Mosquitto; changes complete at once. */
public final class MemoryStore implements Store {

    private final AtomicLong ids = new AtomicLong();

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public void submit(Change change, EventExecutor loop, Consumer<Throwable> done) {
        if (done != null) {
            done.accept(null);
        }
    }

    @Override
    public void close() {
    }
}
