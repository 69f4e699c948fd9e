package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A session's outbound side: the messages in flight (sent at QoS 1/2, not yet acknowledged) and
 * the queue behind them, sent in order within max_inflight_messages/max_inflight_bytes and the
 * client's Receive Maximum, queued within max_queued_messages/max_queued_bytes (and the broker's
 * max_queued_bytes_total), or dropped and counted. Stored deliveries are recorded in the session's
 * journal as they are sent and acknowledged; a persistent session keeps at most
 * {@code Tunables.memoryWindow} of them in memory and pages the rest back from disk in order.
 * <p>
 * One class rather than a queue, a window and a pager because the three share every decision: what
 * is sent next depends on the window, what is queued on the paging state, what is paged in on what
 * the window and the queue hold; split, each would reach into the others' fields. Used on the
 * session's loop only; the counts are read from other threads.
 */
final class Outbox {

    private final Session session;
    private final BrokerStats stats;
    private final InflightWindow inflight = new InflightWindow();
    /**
     * None until the first message has to wait (an idle or keeping-up subscriber never queues,
     * and an empty deque is 72 bytes per session): {@link #NO_QUEUE} stands in for reading, and
     * {@link #queueToAdd} makes the real one, with room for a few, growing by doubling.
     */
    private ArrayDeque<Delivery> queue = NO_QUEUE;
    /** Shared and never added to, so it stays empty: reading it from any session is safe. */
    private static final ArrayDeque<Delivery> NO_QUEUE = new ArrayDeque<>(0);
    private final PacketIds packetIds = new PacketIds();
    private long queuedBytes;
    /** Payload bytes of the QoS 1/2 messages in flight, for max_inflight_bytes. */
    private long inflightBytes;
    private volatile int queuedCount;
    private volatile int inflightCount;
    // Paging (persistent sessions only). While onDisk, stored deliveries stay on disk only and
    // are read back in order; seenUpTo is the last group commit a read saw: a delivery
    // committed in it or before reached this session through that read, not the router.
    private boolean onDisk;
    private long diskCount;
    private long seenUpTo;
    private long newestOnDisk; // the last group commit of a delivery left on disk
    private boolean reading;

    Outbox(Session session, BrokerStats stats) {
        this.session = session;
        this.stats = stats;
    }

    private ClientLink link() {
        return session.link();
    }

    private SessionLimits limits() {
        return session.limits();
    }

    /**
     * A message whose place in this session's queue is already stored as entry {@code entrySeq}
     * (0: not stored) by group commit {@code batch}: a delivery a disk read already brought in is
     * not queued twice, and one behind others on disk stays there. Does not consume the caller's
     * reference.
     */
    void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                 long entrySeq, long batch) {
        if (entrySeq != 0) {
            if (batch <= seenUpTo) {
                return; // a read from disk saw it, and queued it or will
            }
            if (onDisk) {
                diskCount++; // behind others on disk: read back in order
                newestOnDisk = Math.max(newestOnDisk, batch);
                updateCounts();
                return;
            }
        }
        deliver(new Delivery(message.retainRef(), qos, retainFlag, subscriptionIds, shared, entrySeq), batch);
    }

    /**
     * Moves queued messages out while the connection, its writability and the window allow, and
     * pages more in from disk when the queue runs low.
     */
    void drain() {
        while (link() != null && !queue.isEmpty() && link().isWritable()) {
            Delivery d = queue.peek();
            if (d.qos > 0 && !inflightHasRoom(d)) {
                break;
            }
            queue.poll();
            addQueuedBytes(-d.message.payloadSize());
            send(d);
        }
        updateCounts();
        if (onDisk && !reading && link() != null && queue.size() < limits().tunables().memoryWindow() / 2) {
            readFromDisk();
        }
    }

    /** After a reconnection: resends what was in flight, PUBLISH with DUP or PUBREL where PUBREC came. */
    void resend(ClientLink newLink) {
        for (Delivery d : inflight) {
            if (d.awaitingStore) {
                continue; // goes out when the store has its state
            }
            if (d.pubrelSent) {
                newLink.send(new Pubrel(d.packetId));
            } else {
                sendPublish(d, true);
            }
        }
    }

    /** Messages waiting to be sent, in memory and on disk: the backlog back-pressure measures. */
    long backlog() {
        return queue.size() + diskCount;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    int queuedCount() {
        return queuedCount;
    }

    int inflightCount() {
        return inflightCount;
    }

    /** The session ended or the broker stops: every message held is released. */
    void releaseAll() {
        for (Delivery d : inflight) {
            d.message.release();
        }
        for (Delivery d : queue) {
            d.message.release();
        }
        inflight.clear();
        inflightBytes = 0;
        queue = NO_QUEUE;
        onDisk = false;
        diskCount = 0;
        addQueuedBytes(-queuedBytes);
        queuedCount = 0;
        inflightCount = 0;
    }

    /** Restores a queued or in-flight message at start-up; takes a reference of its own. */
    void restore(Message message, QueueEntry entry, long entrySeq) {
        int packetId = entry.packetId();
        Delivery d = new Delivery(message.retainRef(), entry.qos(), entry.retainFlag(), entry.subscriptionIds(), null,
                entrySeq);
        if (packetId != 0 && !inflight.contains(packetId)) {
            d.packetId = packetId;
            d.pubrelSent = entry.pubrelSent();
            inflight.add(d);
            inflightBytes += message.payloadSize();
        } else {
            queueToAdd().add(d);
            addQueuedBytes(message.payloadSize());
        }
        updateCounts();
        inflightCount = inflight.size();
    }

    /** Notes, at start-up, queued entries left on disk beyond the memory window. */
    void restoreOnDisk(long count) {
        if (count > 0) {
            onDisk = true;
            diskCount = count;
            updateCounts();
        }
    }

    void forgetEntry(long entrySeq, Message message) {
        if (entrySeq != 0) {
            session.journal().removeEntry(entrySeq, message.storedId());
        }
    }

    private void storeEntry(Delivery d, Runnable thenOnLoop) {
        QueueEntry e = new QueueEntry(d.message.storedId(), d.qos, d.retainFlag, d.packetId, d.pubrelSent,
                d.subscriptionIds);
        session.journal().putEntry(d.entrySeq, e, thenOnLoop == null ? null : () -> session.execute(thenOnLoop));
    }

    private void updateCounts() {
        queuedCount = (int) Math.min(Integer.MAX_VALUE, queue.size() + diskCount);
    }

    /** Queued messages held in memory (the rest of a long queue is on disk). */
    int queuedInMemory() {
        return queue.size();
    }

    /** Sends, queues or drops a delivery that holds its own message reference (consumed here). */
    void deliver(Delivery d, long batch) {
        if (link() != null && queue.isEmpty()
                && (d.qos == 0 ? link().acceptsQos0() : link().isWritable() && inflightHasRoom(d))) {
            send(d);
            return;
        }
        if (link() == null && d.qos == 0 && !limits().queueQos0Messages()) {
            d.message.release(); // Mosquitto does not queue QoS 0 for offline clients unless asked to
            return;
        }
        if (queueIsFull(d.message.payloadSize())) {
            stats.publishDropped.increment();
            forgetEntry(d.entrySeq, d.message);
            d.message.release();
            return;
        }
        if (d.entrySeq != 0 && queue.size() >= limits().tunables().memoryWindow()) {
            onDisk = true; // the queue goes on on disk
            diskCount++;
            newestOnDisk = Math.max(newestOnDisk, batch);
            updateCounts();
            d.message.release();
            return;
        }
        if (overTotalBudget(d.message.payloadSize())) {
            stats.publishDropped.increment();
            stats.droppedQueueMemory.increment();
            forgetEntry(d.entrySeq, d.message);
            d.message.release();
            return;
        }
        queueToAdd().add(d);
        addQueuedBytes(d.message.payloadSize());
        updateCounts();
    }

    /**
     * max_queued_bytes_total: when the queues of all sessions together would pass it, this
     * session's oldest queued QoS 0 messages make room first; if they cannot, the new message is
     * dropped (the caller counts it). Only this session's queue is touched: another session's
     * belongs to another event loop.
     */
    private boolean overTotalBudget(int size) {
        long max = limits().maxQueuedBytesTotal();
        if (max == 0 || stats.queuedBytes.sum() + size <= max) {
            return false;
        }
        for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
            Delivery old = it.next();
            if (old.qos != 0) {
                continue;
            }
            it.remove();
            addQueuedBytes(-old.message.payloadSize());
            stats.publishDropped.increment();
            stats.droppedQueueMemory.increment();
            forgetEntry(old.entrySeq, old.message);
            old.message.release();
            if (stats.queuedBytes.sum() + size <= max) {
                updateCounts();
                return false;
            }
        }
        updateCounts();
        return true;
    }

    /** The queue to add to, made on the first message that waits. */
    private ArrayDeque<Delivery> queueToAdd() {
        if (queue == NO_QUEUE) {
            queue = new ArrayDeque<>(3);
        }
        return queue;
    }

    /** Every change to this queue's bytes goes here, so the broker-wide total stays right. */
    private void addQueuedBytes(long delta) {
        queuedBytes += delta;
        stats.queuedBytes.add(delta);
    }

    private boolean queueIsFull(int size) {
        int maxMessages = limits().maxQueuedMessages();
        long maxBytes = limits().maxQueuedBytes();
        return (maxMessages > 0 && queue.size() + diskCount >= maxMessages)
                || (maxBytes > 0 && queuedBytes + size > maxBytes);
    }

    /**
     * max_inflight_messages, narrowed by the client's Receive Maximum [MQTT-3.3.4-9], and
     * max_inflight_bytes, which, as in Mosquitto, still lets a message larger than the whole
     * budget go out alone.
     */
    private boolean inflightHasRoom(Delivery next) {
        int max = limits().maxInflightMessages();
        int clientMax = link() != null ? link().receiveMaximum() : 65_535;
        int window = max == 0 ? clientMax : Math.min(max, clientMax);
        if (inflight.size() >= window) {
            return false;
        }
        long maxBytes = limits().maxInflightBytes();
        return maxBytes == 0 || inflight.isEmpty() || inflightBytes + next.message.payloadSize() <= maxBytes;
    }

    private void send(Delivery d) {
        if (d.message.expiresAtMillis() != 0 && d.message.isExpired(System.currentTimeMillis())) {
            forgetEntry(d.entrySeq, d.message);
            d.message.release(); // expired while queued: not sent [MQTT-3.3.2-5]
            return;
        }
        Boolean may = session.readCheckOnSend(d.message.topic());
        if (may == null) {
            askThenSend(d);
            return;
        }
        if (!may) {
            forgetEntry(d.entrySeq, d.message);
            d.message.release(); // the ACL denies it: Mosquitto never sends what a client may not read
            return;
        }
        transmit(d);
    }

    /**
     * A message whose read check has to ask an authorisation backend: it leaves the queue while
     * the backend answers (later messages may overtake it, as with any such check) and is sent on
     * a yes, or forgotten on a no. Its queue entry stays stored meanwhile.
     */
    private void askThenSend(Delivery d) {
        session.readCheckLater(d.message.topic()).whenComplete((allowed, failure) -> session.execute(() -> {
            if (!Boolean.TRUE.equals(allowed) || session.isDiscarded()) {
                forgetEntry(d.entrySeq, d.message);
                d.message.release();
            } else if (link() != null && link().isWritable() && (d.qos == 0 || inflightHasRoom(d))) {
                transmit(d);
            } else {
                queueToAdd().addFirst(d); // no room now: first in line, asked again when its turn comes
                addQueuedBytes(d.message.payloadSize());
                updateCounts();
            }
        }));
    }

    /** Writes a delivery that may be sent: a packet id and a journal record first at QoS 1/2. */
    private void transmit(Delivery d) {
        int id = 0;
        if (d.qos > 0) {
            id = packetIds.next(inflight::contains);
            if (id == 0) {
                queueToAdd().addFirst(d); // every id in use: wait for an acknowledgement
                addQueuedBytes(d.message.payloadSize());
                return;
            }
        }
        Publish p = d.message.toPublish(d.qos, d.retainFlag, false, id, d.subscriptionIds);
        if (!link().fits(p)) {
            // Over the client's Maximum Packet Size: session.isDiscarded() as if sent and acknowledged [MQTT-3.1.2-25].
            p.release();
            stats.publishDropped.increment();
            forgetEntry(d.entrySeq, d.message);
            d.message.release();
            return;
        }
        if (d.qos > 0) {
            d.packetId = id;
            inflight.add(d);
            inflightBytes += d.message.payloadSize();
            inflightCount = inflight.size();
            if (d.entrySeq != 0) {
                if (d.qos == 2) {
                    // Exactly once across a restart needs the packet id on disk before the client
                    // can see it: a resend must carry the same id [MQTT-4.4.0-1].
                    p.release();
                    d.awaitingStore = true;
                    int sent = id;
                    storeEntry(d, () -> {
                        d.awaitingStore = false;
                        if (link() != null && inflight.get(sent) == d) {
                            sendPublish(d, false);
                        }
                    });
                    return;
                }
                storeEntry(d, null); // QoS 1: a lost id only means a resend under a new one
            }
        }
        link().send(p);
        countSent(d.message, d.qos);
        if (d.qos == 0) {
            d.message.release();
        }
    }

    private void sendPublish(Delivery d, boolean dup) {
        Publish p = d.message.toPublish(d.qos, d.retainFlag, dup, d.packetId, d.subscriptionIds);
        link().send(p);
        countSent(d.message, d.qos);
    }

    private void countSent(Message m, int qos) {
        session.sentOne();
        stats.publishSent.increment();
        stats.publishSentByQos[qos].increment();
        stats.publishBytesSent.add(m.payloadSize());
    }

    /** Asks the store for the next queued entries, skipping those in memory. */
    private void readFromDisk() {
        reading = true;
        session.journal().readQueue(inMemorySeqs(), limits().tunables().memoryWindow() - queue.size(), page -> session.execute(() -> onPage(page)));
    }

    /**
     * Reads every entry still on disk into memory (a session about to leave this node whole, for
     * the cluster), then tells {@code then} whether it could (false: the read failed).
     */
    void pageInAll(Consumer<Boolean> then) {
        if (!pagedOut()) {
            then.accept(true);
        } else if (reading) { // a page is on its way: look again once it is in
            session.loop().schedule(() -> session.execute(() -> pageInAll(then)), 20, TimeUnit.MILLISECONDS);
        } else {
            reading = true;
            session.journal().readQueue(inMemorySeqs(), Integer.MAX_VALUE, page -> session.execute(() -> {
                if (page.entries().isEmpty() && !page.exhausted()) {
                    page.release();
                    reading = false;
                    then.accept(false);
                } else {
                    onPage(page);
                    pageInAll(then); // what was committed after the read: once more
                }
            }));
        }
    }

    private long[] inMemorySeqs() {
        long[] inMemory = new long[inflight.size() + queue.size()];
        int n = 0;
        for (Delivery d : inflight) {
            if (d.entrySeq != 0) {
                inMemory[n++] = d.entrySeq;
            }
        }
        for (Delivery d : queue) {
            if (d.entrySeq != 0) {
                inMemory[n++] = d.entrySeq;
            }
        }
        long[] exclude = Arrays.copyOf(inMemory, n);
        Arrays.sort(exclude);
        return exclude;
    }

    private void onPage(QueuePage page) {
        if (page.entries().isEmpty() && !page.exhausted()) {
            // The read failed (the store logged why): try again in a second, not in a loop.
            page.release();
            session.loop().schedule(() -> session.execute(() -> {
                reading = false;
                session.drain();
            }), 1, TimeUnit.SECONDS);
            return;
        }
        reading = false;
        try {
            if (session.isDiscarded()) {
                return;
            }
            seenUpTo = Math.max(seenUpTo, page.batch());
            for (QueuePage.Entry e : page.entries()) {
                queueToAdd().add(new Delivery(e.message().retainRef(), e.entry().qos(), e.entry().retainFlag(),
                        e.entry().subscriptionIds(), null, e.seq()));
                addQueuedBytes(e.message().payloadSize());
            }
            diskCount = Math.max(0, diskCount - page.entries().size());
            // A delivery committed after the read went to disk meanwhile: read again.
            if (page.exhausted() && newestOnDisk <= page.batch()) {
                onDisk = false;
                diskCount = 0;
            }
        } finally {
            page.release();
        }
        session.drain();
    }

    /** PUBACK: a QoS 1 delivery is done. Returns false if the id was not in flight at QoS 1. */
    boolean onPuback(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 1) {
            return false;
        }
        complete(packetId, d);
        return true;
    }

    /**
     * PUBREC: the first half of a QoS 2 delivery is done; the session sends PUBREL (once the
     * store knows, so that a restart resends PUBREL and never the PUBLISH). Returns false if
     * the id is not in flight at QoS 2: the caller answers.
     */
    boolean onPubrec(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2) {
            return false;
        }
        if (d.awaitingStore) {
            return true; // PUBREL follows when the store answers
        }
        if (d.pubrelSent || d.entrySeq == 0) {
            d.pubrelSent = true;
            link().send(new Pubrel(packetId));
            return true;
        }
        d.pubrelSent = true;
        d.awaitingStore = true;
        storeEntry(d, () -> {
            d.awaitingStore = false;
            if (link() != null && inflight.get(packetId) == d) {
                link().send(new Pubrel(packetId));
            }
        });
        return true;
    }

    /** PUBREC with a failure reason code (MQTT 5): the QoS 2 delivery ends there, no PUBREL. */
    boolean onPubrecFailure(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2 || d.pubrelSent) {
            return false;
        }
        complete(packetId, d);
        return true;
    }

    /** PUBCOMP: a QoS 2 delivery is done. */
    boolean onPubcomp(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2) {
            return false;
        }
        complete(packetId, d);
        return true;
    }

    private void complete(int packetId, Delivery d) {
        inflight.remove(packetId);
        inflightBytes -= d.message.payloadSize();
        inflightCount = inflight.size();
        forgetEntry(d.entrySeq, d.message);
        d.message.release();
        session.drain();
    }

    /** Whether queued entries wait on disk beyond the memory window (a long stored queue). */
    boolean pagedOut() {
        return diskCount > 0;
    }

    /** Visits every message held, in flight (oldest sent first) then queued, in order. */
    void forEachHeld(Session.HeldVisitor visitor) {
        for (Delivery d : inflight) {
            visitor.held(d.message, d.qos, d.retainFlag, d.subscriptionIds, d.packetId, d.pubrelSent);
        }
        for (Delivery d : queue) {
            visitor.held(d.message, d.qos, d.retainFlag, d.subscriptionIds, 0, false);
        }
    }

    /**
     * Visits the unacknowledged QoS 1/2 messages (in flight, not yet past PUBREC, or queued) that
     * were sent to this session for a shared subscription, so that another member can get them
     * when this session ends (MQTT 5.0 4.8.2). The session keeps its references.
     */
    void forEachUnackedShared(BiConsumer<Message, Subscriber> visitor) {
        for (Delivery d : inflight) {
            if (d.shared != null && !d.pubrelSent) {
                visitor.accept(d.message, d.shared);
            }
        }
        for (Delivery d : queue) {
            if (d.shared != null && d.qos > 0) {
                visitor.accept(d.message, d.shared);
            }
        }
    }
}
