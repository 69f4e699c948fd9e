package io.courtier.broker.persistence;

import io.courtier.broker.session.Message;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.Consumer;

/** {@code persistence false}: everything lives in memory, as in Mosquitto; appends complete at once. */
public final class MemoryStore implements Store {

    @Override
    public void append(Message message, EventExecutor loop, Consumer<Throwable> done) {
        done.accept(null);
    }

    @Override
    public void close() {
    }
}
