package io.courtier.broker.cluster;

import com.hazelcast.map.IMap;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parked session as this node's router sees it ({@value ParkedSessions#PREFIX}CLIENT, with the
 * session's subscriptions in the topic tree): every node has one per parked session, and the node
 * that accepts a message appends it to the session's queue in the cluster, within the queue
 * limits (max_queued_messages, max_queued_bytes; QoS 0 only with queue_qos0_messages, as a
 * session's own queue). A QoS 1/2 append is confirmed through the publisher's
 * {@link Congestion}, so its PUBACK/PUBREC waits until the queue and its backups have the message.
 * <p>
 * Appends go out in order, one write at a time: what arrives while one is on its way waits and
 * goes in the next, as one batch (a group commit), so a stream costs one cluster write per
 * round trip, not per message. A write that fails is tried again (an append is idempotent: the
 * queue keeps a message once by its origin); one that still fails drops its messages for the
 * session, counted and logged as a full queue's are, and the publishers are acknowledged (their
 * message was accepted, and may have reached others here already: a resend would duplicate it).
 * <p>
 * Once a node has taken the session ({@link #moveTo}, or an append the closed queue refused), what
 * comes here goes to that node instead ({@link HandoverFrames#REDIRECT}), in the same order.
 * <p>
 * With {@code persistence true} each batch is also kept on this node's disk ({@link ParkedDisk},
 * the session's header with the first), in one group commit of the store, and the publishers'
 * confirmations wait for both, so that a restart of every node loses none of it.
 */
final class ParkedTarget extends UnstoredTarget {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    /** Tries of a failed append after the first, each waiting twice as long (0.2 s to 3.2 s, 6 s in all). */
    private static final int RETRIES = 5;
    private static final long FIRST_RETRY_MILLIS = 200;

    private final String clientId;
    private final String target;
    private final ParkedSessions owner;
    private final IMap<String, ParkedQueue> queues;
    private final ParkedDisk disk;
    final List<Subscriber> subscriptions;
    /** The session's generation (its header's parkedAt), under which this node keeps its share. */
    final long generation;
    /** The header, kept on disk with the first batch this node appends (then null). Guarded by this. */
    private byte[] headerToKeep;
    /** This node parked the session a moment ago: peers may still forward what it used to get. */
    private volatile long takesForwardedUntil;
    private ArrayList<ParkedEntry> batch = new ArrayList<>();
    private ArrayList<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean writing;
    /** The node that took the session; what comes here goes there. Written under this target's lock. */
    private volatile String movedTo;
    /** Completes once no append is on its way any longer, after {@link #moveTo}. Guarded by this. */
    private CompletableFuture<Void> settled;

    ParkedTarget(String clientId, List<Subscriber> subscriptions, ParkedSessions owner,
                 IMap<String, ParkedQueue> queues, ParkedDisk disk, long generation, byte[] header) {
        this.disk = disk;
        this.generation = generation;
        this.headerToKeep = header;
        this.clientId = clientId;
        this.target = ParkedSessions.PREFIX + clientId;
        this.subscriptions = subscriptions;
        this.owner = owner;
        this.queues = queues;
    }

    void takeForwardedFor(long millis) {
        takesForwardedUntil = System.currentTimeMillis() + millis;
    }

    /**
     * {@code node} took the session: what waits and whatever comes later goes there. Completes
     * once no append of this target is on its way (one the closed queue refuses goes there too).
     */
    synchronized CompletableFuture<Void> moveTo(String node) {
        if (movedTo == null) {
            movedTo = node;
            if (!writing) {
                redirectWaiting();
            } // else after the append on its way, which may be refused and go there first
        }
        if (settled == null) {
            settled = writing ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        }
        return settled;
    }

    @Override
    public String clientId() {
        return target;
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
    public void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                 Subscriber shared) {
        if (qos > 0 || owner.queueQos0() || movedTo != null) { // its client is online again there
            append(message, qos, retainFlag, subscriptionIds);
        }
    }

    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        if (qos == 0 && !owner.queueQos0() && movedTo == null) {
            return; // Mosquitto queues no QoS 0 for an offline client unless asked to
        }
        CompletableFuture<Void> appended = append(message, qos, retainFlag, subscriptionIds);
        if (qos > 0 && message.qos() > 0) { // a QoS 0 publisher (upgrade_outgoing_qos) waits for nothing
            congestion.confirmLater(appended);
        }
    }

    private CompletableFuture<Void> append(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
        ParkedEntry e = new ParkedEntry(owner.origin(message), message, qos, retainFlag, subscriptionIds, 0, false, 0);
        synchronized (this) {
            e.at = Origins.tick(); // under the lock: a batch, and the queue, are in order of it
            if (movedTo != null && !writing) {
                owner.redirect(movedTo, clientId, e);
                return CompletableFuture.completedFuture(null); // as a forwarded message: written on the link
            }
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            batch.add(e);
            waiting.add(confirmed);
            if (!writing && movedTo == null) {
                writing = true;
                writeKept(takeBatch(), takeWaiting());
            }
            return confirmed;
        }
    }

    private ArrayList<ParkedEntry> takeBatch() {
        ArrayList<ParkedEntry> entries = batch;
        batch = new ArrayList<>();
        return entries;
    }

    private ArrayList<CompletableFuture<Void>> takeWaiting() {
        ArrayList<CompletableFuture<Void>> confirmations = waiting;
        waiting = new ArrayList<>();
        return confirmations;
    }

    /** Under this target's lock: what waits goes to {@link #movedTo}, in order. */
    private void redirectWaiting() {
        for (ParkedEntry e : batch) {
            owner.redirect(movedTo, clientId, e);
        }
        batch.clear();
        takeWaiting().forEach(c -> c.complete(null));
    }

    /** Under this target's lock: one batch to the cluster and, with persistence, to this node's disk. */
    private void writeKept(ArrayList<ParkedEntry> entries, ArrayList<CompletableFuture<Void>> confirmations) {
        CompletableFuture<Void> kept = disk.keep(clientId, generation, headerToKeep, entries);
        headerToKeep = null;
        write(entries, confirmations, 0, kept);
    }

    /** Sends one batch as one append ({@code attempt}: how many tries failed before). */
    private void write(ArrayList<ParkedEntry> entries, ArrayList<CompletableFuture<Void>> confirmations,
                       int attempt, CompletableFuture<Void> kept) {
        CompletionStage<Object> appended;
        try {
            appended = queues.submitToKey(clientId, new ParkedQueueOps.Append(entries, System.currentTimeMillis(),
                    owner.maxQueued(), owner.maxQueuedBytes(), generation));
        } catch (RuntimeException e) { // this member is shutting down, say: as a failed write
            appended = CompletableFuture.failedFuture(e);
        }
        appended.whenComplete((answer, failure) -> {
                    if (failure != null && attempt < RETRIES) {
                        owner.later(() -> write(entries, confirmations, attempt + 1, kept),
                                FIRST_RETRY_MILLIS << attempt, TimeUnit.MILLISECONDS);
                        return;
                    }
                    String takenBy = failure == null ? ParkedQueueOps.Append.takenBy(answer) : null;
                    synchronized (this) {
                        if (failure != null) {
                            LOG.warn("Client {} (parked in the cluster): {} message(s) dropped, the cluster could "
                                    + "not queue them ({}).", clientId, entries.size(), failure.toString());
                            owner.dropped(entries.size());
                        } else if (takenBy != null) {
                            // Taken meanwhile: these go first to the node that has the session now.
                            entries.forEach(e -> owner.redirect(takenBy, clientId, e));
                            if (movedTo == null) {
                                movedTo = takenBy;
                            }
                        } else {
                            owner.dropped(ParkedQueueOps.Append.dropped(answer));
                        }
                        // Once this node's disk has them too (a failed disk write was logged by the store).
                        kept.whenComplete((v, f) -> confirmations.forEach(c -> c.complete(null)));
                        if (movedTo != null) {
                            redirectWaiting(); // behind what this append carried
                            writing = false;
                            if (settled != null) {
                                settled.complete(null);
                            }
                        } else if (!batch.isEmpty()) {
                            writeKept(takeBatch(), takeWaiting());
                        } else {
                            writing = false;
                        }
                    }
                });
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                                long entrySeq, long batch) {
        // Never planned: the router offers it at planning (acceptsAsynchronously).
    }

    @Override
    public String toString() {
        return target;
    }
}
