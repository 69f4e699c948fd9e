package io.courtier.broker.persistence;

import io.courtier.broker.session.Message;
import java.util.function.Consumer;

/**
 * Where QoS 1 and 2 messages go before they are acknowledged (DESIGN.md, "Durability
 * contract"). The callback runs once the message is stored — with {@code null} on success or
 * the failure — and always on the caller's event loop, never on a storage thread; the caller
 * then sends PUBACK/PUBREC and routes. {@link MemoryStore} completes at once; the durable store
 * completes after its group-committed, synced batch.
 */
public interface Store extends AutoCloseable {

    void append(Message message, io.netty.util.concurrent.EventExecutor loop, Consumer<Throwable> done);

    @Override
    void close();
}
