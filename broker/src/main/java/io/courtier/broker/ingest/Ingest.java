package io.courtier.broker.ingest;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.persistence.DurablePublish;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.Plan;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.Router;
import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;

/**
 * The one way into the broker for a message, whoever published it: a client's PUBLISH, a will,
 * a {@code $SYS} value, and through the same methods a bridge's or another cluster node's message.
 * It keeps the retained copy, plans the deliveries, stores the message with a queue entry for each
 * persistent target when the message is durable, tells the publisher (its acknowledgement), and
 * dispatches the plan (DESIGN.md, "The walk of a PUBLISH").
 * <p>
 * What comes in is already authorised: the edge that knows the publisher checks it (a client's
 * ACL in {@code protocol.PublishHandler}, a will's at CONNECT as Mosquitto does), because only
 * the edge can stop reading while a backend answers. No method consumes the caller's reference
 * to the message. Runs on the publisher's thread and never blocks: the store answers on
 * {@code loop}.
 */
public final class Ingest {

    /** How a durable message ended, told on the publisher's loop. */
    public interface Outcome {
        /** Stored (when durable) and dispatched to {@code delivered} targets (0: "no matching subscribers"). */
        void accepted(int delivered);

        /** The store failed: nothing is acknowledged and nothing was dispatched. */
        void notStored(Throwable failure);
    }

    private final Router router;
    private final RetainedStore retained;
    private final Store store;
    /** retain_available; a reload (SIGHUP) may change it. */
    private volatile boolean retainAvailable;

    public Ingest(Router router, RetainedStore retained, Store store, boolean retainAvailable) {
        this.router = router;
        this.retained = retained;
        this.store = store;
        this.retainAvailable = retainAvailable;
    }

    /** A reloaded retain_available: applies from the next message. */
    public void retainAvailable(boolean value) {
        this.retainAvailable = value;
    }

    /**
     * A message that needs no acknowledgement held for the disk (QoS 0, or any QoS without
     * persistence): its retained copy (written to the store without waiting), then routed.
     * Targets that are backed up note themselves in {@code congestion}. Returns how many targets
     * it went to.
     */
    public int publish(Message message, Congestion congestion) {
        if (message.retain() && retainAvailable && store.durable() && !message.topic().startsWith("$SYS")) {
            store.submit(DurablePublish.retained(message), null, null);
        }
        keepRetained(message);
        return router.route(message, congestion);
    }

    /**
     * A QoS 1/2 message whose acknowledgement waits for the disk. With a durable store: plan, store
     * the message, its queue entries, the publisher's inbound QoS 2 id ({@code inboundPacketId}, 0
     * for none) and the retained copy in one group commit, then tell {@code outcome} and dispatch.
     * Without one (or at QoS 0) it is {@link #publish}ed and {@code outcome} told at once.
     *
     * @param publisherStoreId the publisher's session store id, 0 if it is not persistent
     */
    public void publishDurably(Message message, long publisherStoreId, int inboundPacketId, EventExecutor loop,
                               Congestion congestion, Outcome outcome) {
        if (!store.durable() || message.qos() == 0) {
            int delivered = publish(message, congestion);
            CompletableFuture<?> confirmation = congestion.takeConfirmation();
            if (confirmation == null) {
                outcome.accepted(delivered);
            } else {
                whenConfirmed(confirmation, loop, () -> outcome.accepted(delivered), outcome::notStored);
            }
            return;
        }
        Plan plan = router.plan(message, congestion);
        store(message, plan, congestion.takeConfirmation(), publisherStoreId, inboundPacketId, loop, outcome, false,
                retainAvailable);
    }

    /**
     * Runs {@code then} on {@code loop} once targets that accept asynchronously (a parked
     * session's queue in the cluster) confirmed, or {@code failed} if one could not.
     */
    private static void whenConfirmed(CompletableFuture<?> confirmation, EventExecutor loop, Runnable then,
                                      java.util.function.Consumer<Throwable> failed) {
        confirmation.whenComplete((ok, failure) -> loop.execute(() -> {
            if (failure == null) {
                then.run();
            } else {
                failed.accept(failure);
            }
        }));
    }

    /**
     * A QoS 1/2 message the broker publishes itself (a will): it reaches persistent sessions'
     * stored queues before it is routed, like a client's. There is no acknowledgement to hold
     * back, so if the store fails it is delivered from memory anyway.
     */
    public void publishWill(Message message, EventExecutor loop) {
        if (!store.durable() || message.qos() == 0) {
            publish(message, Congestion.IGNORED);
            return;
        }
        store(message, router.plan(message, Congestion.IGNORED), null, 0, 0, loop, null, true, retainAvailable);
    }

    /**
     * A message another cluster node accepted and forwarded here ({@code forwarded} says which of
     * its matches it may take: this node's own subscribers only). Its retained copy is not kept
     * here: the cluster's retained set carries it to every node. At QoS 1/2 with a durable store it
     * reaches persistent sessions' stored queues before it is dispatched, on {@code loop}; if the
     * store fails it is delivered from memory, as a will is (the sending node acknowledged it).
     * Targets that are backed up note themselves in {@code congestion} (the cluster holds its
     * acknowledgement to the sending node back until they are relieved).
     */
    public void publishForwarded(Message message, Router.Forwarded forwarded, EventExecutor loop,
                                 Congestion congestion) {
        // A parked session here may take it too; nobody waits for that (the sending node acknowledged it).
        if (!store.durable() || message.qos() == 0) {
            router.route(message, forwarded, congestion);
            congestion.takeConfirmation();
            return;
        }
        Plan plan = router.plan(message, forwarded, congestion);
        congestion.takeConfirmation();
        store(message, plan, null, 0, 0, loop, null, true, false);
    }

    /** A broker-originated value ($SYS): QoS 0, retained. */
    public void publishSys(String topic, String value) {
        Message m = new Message(topic, 0, true, Properties.NONE,
                Unpooled.copiedBuffer(value, StandardCharsets.UTF_8), null);
        try {
            publish(m, Congestion.IGNORED);
        } finally {
            m.release();
        }
    }

    /**
     * Stores a planned message in one group commit, then dispatches the plan. {@code outcome} (may be
     * null) is told first; without one a failed store still delivers from memory when
     * {@code deliverIfNotStored} (nobody is waiting to resend). {@code retainHere}: keep its retained
     * copy on this broker (false for a cluster peer's message: the cluster's retained set has it).
     */
    private void store(Message message, Plan plan, CompletableFuture<?> confirmation, long publisherStoreId,
                       int inboundPacketId, EventExecutor loop, Outcome outcome, boolean deliverIfNotStored,
                       boolean retainHere) {
        DurablePublish stored = DurablePublish.prepare(store, message, plan, publisherStoreId, inboundPacketId,
                retainHere);
        message.retainRef();
        store.submitCounted(stored.change, loop, (failure, batch) -> {
            try {
                if (failure == null) {
                    if (retainHere) {
                        keepRetained(message);
                    }
                    if (outcome != null && confirmation == null) {
                        outcome.accepted(plan.reached());
                    }
                    router.dispatch(message, plan, stored.entrySeqs, batch);
                    if (outcome != null && confirmation != null) {
                        // Stored here; acknowledged once a parked session's queue in the cluster has it too.
                        whenConfirmed(confirmation, loop, () -> outcome.accepted(plan.reached()), outcome::notStored);
                    }
                } else if (deliverIfNotStored) {
                    if (retainHere) {
                        keepRetained(message);
                    }
                    router.dispatch(message, plan, null, batch);
                } else {
                    // Nothing acknowledged that is not stored: the client resends on reconnect.
                    Router.drop(plan);
                    outcome.notStored(failure);
                }
            } finally {
                message.release();
            }
        });
    }

    private void keepRetained(Message message) {
        if (message.retain() && retainAvailable) {
            byte[] payload = new byte[message.payloadSize()];
            message.payload().getBytes(message.payload().readerIndex(), payload);
            retained.put(new RetainedMessage(message.topic(), payload, message.qos(), message.properties(),
                    System.currentTimeMillis(), message.expiresAtMillis(), message.publisherId(),
                    message.publisherUsername()));
        }
    }
}
