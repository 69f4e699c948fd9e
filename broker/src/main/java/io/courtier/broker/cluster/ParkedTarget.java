package io.courtier.broker.cluster;

import com.hazelcast.map.IMap;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A parked session as this node's router sees it ({@value ParkedSessions#PREFIX}CLIENT, with the
 * session's subscriptions in the topic tree): every node has one per parked session, and the node
 * that accepts a message appends it to the session's queue in the cluster. QoS 1/2 only (an
 * offline session gets no QoS 0 message, as in Mosquitto by default). The append is confirmed
 * through the publisher's {@link Congestion}, so its PUBACK/PUBREC waits until the queue and its
 * backups have the message.
 * <p>
 * Appends go out in order, one write at a time: what arrives while one is on its way waits and
 * goes in the next, as one batch (a group commit), so a stream costs one cluster write per
 * round trip, not per message.
 */
final class ParkedTarget implements DeliveryTarget {

    private final String clientId;
    private final String target;
    private final ParkedSessions owner;
    private final IMap<String, ParkedQueue> queues;
    final List<Subscriber> subscriptions;
    /** This node parked the session a moment ago: peers may still forward what it used to get. */
    private volatile long takesForwardedUntil;
    private ArrayList<ParkedEntry> batch = new ArrayList<>();
    private ArrayList<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean writing;

    ParkedTarget(String clientId, List<Subscriber> subscriptions, ParkedSessions owner,
                 IMap<String, ParkedQueue> queues) {
        this.clientId = clientId;
        this.target = ParkedSessions.PREFIX + clientId;
        this.subscriptions = subscriptions;
        this.owner = owner;
        this.queues = queues;
    }

    void takeForwardedFor(long millis) {
        takesForwardedUntil = System.currentTimeMillis() + millis;
    }

    @Override
    public String clientId() {
        return target;
    }

    @Override
    public boolean isConnected() {
        return false;
    }

    @Override
    public boolean acceptsAsynchronously() {
        return true;
    }

    @Override
    public boolean takesForwarded() {
        return System.currentTimeMillis() < takesForwardedUntil;
    }

    @Override
    public Boolean mayReadNow(String topic) {
        return Boolean.TRUE; // the node it resumes on checks its ACL when it sends
    }

    @Override
    public void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                 Subscriber shared) {
        if (qos > 0) {
            append(message, qos, retainFlag, subscriptionIds);
        }
    }

    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        if (qos > 0) {
            CompletableFuture<Void> appended = append(message, qos, retainFlag, subscriptionIds);
            if (message.qos() > 0) { // a QoS 0 publisher (upgrade_outgoing_qos) waits for nothing
                congestion.confirmLater(appended);
            }
        }
    }

    private CompletableFuture<Void> append(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
        ParkedEntry e = new ParkedEntry(owner.origin(message), message, qos, retainFlag, subscriptionIds, 0, false);
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (this) {
            batch.add(e);
            waiting.add(confirmed);
            if (!writing) {
                writeBatch();
            }
        }
        return confirmed;
    }

    /** Under this target's lock: sends what waits as one append. */
    private void writeBatch() {
        ArrayList<ParkedEntry> entries = batch;
        ArrayList<CompletableFuture<Void>> confirmations = waiting;
        batch = new ArrayList<>();
        waiting = new ArrayList<>();
        writing = true;
        queues.submitToKey(clientId, new ParkedQueueOps.Append(entries, System.currentTimeMillis(),
                        owner.maxQueued()))
                .whenComplete((ok, failure) -> {
                    for (CompletableFuture<Void> c : confirmations) {
                        if (failure == null) {
                            c.complete(null);
                        } else {
                            c.completeExceptionally(failure);
                        }
                    }
                    synchronized (this) {
                        if (batch.isEmpty()) {
                            writing = false;
                        } else {
                            writeBatch();
                        }
                    }
                });
    }

    @Override
    public long storeId() {
        return 0;
    }

    @Override
    public void notePlanned(Congestion congestion) {
    }

    @Override
    public void plannedDropped() {
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                                long entrySeq, long batch) {
        // Never planned: the router offers it at planning (acceptsAsynchronously).
    }

    @Override
    public void whenRelieved(Runnable resume) {
        resume.run(); // it never notes itself backed up: its writes pace the publishers' acknowledgements
    }

    @Override
    public String toString() {
        return target;
    }
}
