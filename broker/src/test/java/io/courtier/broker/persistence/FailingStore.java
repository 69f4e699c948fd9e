package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.function.Consumer;

/** A durable store whose disk can be made to fail, as a full disk would: every change fails. */
final class FailingStore implements Store {

    private final Store delegate;
    volatile boolean failing;

    FailingStore(Store delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean durable() {
        return delegate.durable();
    }

    @Override
    public long nextId() {
        return delegate.nextId();
    }

    @Override
    public void submit(Change change, EventExecutor loop, Consumer<Throwable> done) {
        if (!failing) {
            delegate.submit(change, loop, done);
        } else if (done != null) {
            loop.execute(() -> done.accept(new IOException("No space left on device")));
        }
    }

    @Override
    public void submitCounted(Change change, EventExecutor loop, Committed done) {
        if (!failing) {
            delegate.submitCounted(change, loop, done);
        } else {
            loop.execute(() -> done.committed(new IOException("No space left on device"), 0));
        }
    }

    @Override
    public void readQueue(long storeId, long[] exclude, int limit, EventExecutor loop, Consumer<QueuePage> done) {
        delegate.readQueue(storeId, exclude, limit, loop, done);
    }

    @Override
    public RecoveredState recover() {
        return delegate.recover();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
