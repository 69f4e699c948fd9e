package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Publish;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One client's session: its subscriptions, the outbound messages in flight (sent at QoS 1/2,
 * not yet acknowledged), the queue behind them, and the inbound QoS 2 packet ids awaiting
 * PUBREL. Owned by one event loop — the one of its current connection — and mutated only there:
 * other threads hand it work with {@link #execute}. No locks.
 * <p>
 * Its life after the connection is its expiry interval (MQTT 5 Session Expiry Interval; 3.1.1
 * clean session 1 is 0, clean session 0 is {@link #NEVER}): 0 ends it with the connection.
 * <p>
 * A persistent session on a durable store ({@link #persistTo}) mirrors its state there:
 * subscriptions, its record (connected or not, will, expiry), queue entries as they are sent
 * (packet id) and acknowledged (removed), and inbound QoS 2 ids as they are released. Those
 * writes are not waited for, except where exactly-once needs them on disk first: a QoS 2
 * PUBLISH goes out after its packet id is stored, a PUBREL after its PUBREC is, and PUBCOMP
 * after the inbound id is forgotten. Its queue keeps at most {@link io.courtier.broker.config.Tunables#memoryWindow} stored
 * messages in memory; the rest stays on disk and is read back in order.
 */
public final class Session implements DeliveryTarget {

    /** Session expiry interval meaning "never expires" (0xFFFFFFFF, MQTT 5.0 3.1.2.11.2). */
    public static final long NEVER = 0xFFFF_FFFFL;

    private final String clientId;
    private volatile long expiryInterval;
    /** Replaced when a reload changes max_inflight_messages, max_queued_messages...; read per decision. */
    private volatile SessionLimits limits;
    private final BrokerStats stats;
    private volatile EventLoop loop;

    private final Subscriptions subscriptions = new Subscriptions();
    private final InflightWindow inflight = new InflightWindow();
    /** Room for a few at first (an idle subscriber queues nothing): grows by doubling. */
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(3);
    private final InboundQos2 inboundQos2 = new InboundQos2();
    private final PacketIds packetIds = new PacketIds();
    private long queuedBytes;
    /** Written on the session's loop; volatile because routing threads ask {@link #isConnected}. */
    private volatile ClientLink link;
    private volatile int queuedCount;
    private volatile int inflightCount;
    private volatile ReadPermission readPermission = ReadPermission.ALL;
    private boolean checkOnSend;
    /** Payload bytes of the QoS 1/2 messages in flight, for max_inflight_bytes. */
    private long inflightBytes;
    private final SessionTimers timers = new SessionTimers(this);
    /** Deliveries, planned deliveries and paused publishers from other loops; see {@link #offer}. */
    private final Inbox inbox = new Inbox();
    private final BacklogPressure pressure = new BacklogPressure();

    /** Where a persistent session records what must survive; {@link SessionJournal#NONE} otherwise. */
    private volatile SessionJournal journal = SessionJournal.NONE;
    private boolean discarded;
    // Paging (persistent sessions only). While onDisk, stored deliveries stay on disk only and
    // are read back in order; seenUpTo is the last group commit a read saw: a delivery
    // committed in it or before reached this session through that read, not the router.
    private boolean onDisk;
    private long diskCount;
    private long seenUpTo;
    private long newestOnDisk; // the last group commit of a delivery left on disk
    private boolean reading;
    public Session(String clientId, boolean cleanSession, SessionLimits limits, BrokerStats stats, EventLoop loop) {
        this(clientId, cleanSession ? 0 : NEVER, limits, stats, loop);
    }

    /** A session that lives {@code expiryInterval} seconds after its connection ends. */
    public Session(String clientId, long expiryInterval, SessionLimits limits, BrokerStats stats, EventLoop loop) {
        this.clientId = clientId;
        this.expiryInterval = expiryInterval;
        this.limits = limits;
        this.stats = stats;
        this.loop = loop;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** Whether the session ends with its connection (expiry interval 0). */
    public boolean cleanSession() {
        return expiryInterval == 0;
    }

    /** Seconds the session outlives its connection; {@link #NEVER} for ever. */
    public long expiryInterval() {
        return expiryInterval;
    }

    /** Set by CONNECT, or by a v5 DISCONNECT carrying a new interval [MQTT-3.14.2-2]. */
    public void setExpiryInterval(long seconds) {
        this.expiryInterval = seconds;
    }

    // ---- timers (on the session's loop) ----------------------------------------------------

    /** Runs {@code end} when the expiry interval passes with no new connection; replaces an earlier timer. */
    public void scheduleExpiry(Runnable end) {
        timers.scheduleExpiry(expiryInterval, end);
    }

    /** At start-up: the session was disconnected before, so its first expiry comes sooner. */
    public void restoreExpiresIn(long seconds) {
        timers.restoreExpiresIn(seconds);
    }

    public void cancelExpiry() {
        timers.cancelExpiry();
    }

    /**
     * A will with a delay (MQTT 5 Will Delay Interval): published after {@code delaySeconds}
     * unless a new connection resumes the session first [MQTT-3.1.3-9], or at once when the
     * session ends before that ({@link #firePendingWill}).
     */
    public void scheduleWill(long delaySeconds, Runnable publish) {
        timers.scheduleWill(delaySeconds, publish);
    }

    /** Publishes a delayed will now, if one is waiting. */
    public void firePendingWill() {
        timers.firePendingWill();
    }

    /** A new connection resumed the session: its delayed will is not sent [MQTT-3.1.3-9]. */
    public void cancelWill() {
        timers.cancelWill();
    }

    /** New limits from a reloaded configuration; they apply from the next message on. */
    public void limits(SessionLimits value) {
        this.limits = value;
    }

    public EventLoop loop() {
        return loop;
    }

    // ---- persistence ---------------------------------------------------------------------

    /** Makes this session durable through a journal; call before the session is shared. */
    public void persistTo(SessionJournal journal) {
        this.journal = journal;
    }

    /** The session's id in the store, 0 when nothing of it is stored. Safe from any thread. */
    @Override
    public long storeId() {
        return journal.storeId();
    }

    /** On the session's loop at CONNECT: records who is connected, with what will and expiry. */
    public void recordConnected(Will will) {
        journal.connected(clientId, expiryInterval, will);
    }

    private void recordDisconnected() {
        journal.disconnected(clientId, expiryInterval);
    }

    /** Restores a queued or in-flight message at start-up; takes a reference of its own. */
    public void restoreEntry(Message message, QueueEntry entry, long entrySeq) {
        int packetId = entry.packetId();
        Delivery d = new Delivery(message.retainRef(), entry.qos(), entry.retainFlag(), entry.subscriptionIds(), null,
                entrySeq);
        if (packetId != 0 && !inflight.contains(packetId)) {
            d.packetId = packetId;
            d.pubrelSent = entry.pubrelSent();
            inflight.add(d);
            inflightBytes += message.payloadSize();
        } else {
            queue.add(d);
            addQueuedBytes(message.payloadSize());
        }
        updateCounts();
        inflightCount = inflight.size();
    }

    /** Restores subscriptions at start-up (the caller puts them in the topic tree). */
    public void restoreSubscriptions(Collection<Subscriber> restored) {
        for (Subscriber s : restored) {
            subscriptions.restore(s);
        }
    }

    /** Notes, at start-up, queued entries left on disk beyond the memory window. */
    public void restoreOnDisk(long count) {
        if (count > 0) {
            onDisk = true;
            diskCount = count;
            updateCounts();
        }
    }

    /** Restores an inbound QoS 2 id awaiting PUBREL at start-up. */
    public void restoreInboundQos2(int packetId) {
        inboundQos2.begin(packetId);
    }

    /** Runs a task on the session's loop once everything this session submitted before is stored. */
    public void whenStored(Runnable task) {
        SessionJournal j = journal;
        if (j == SessionJournal.NONE) {
            task.run();
            return;
        }
        j.whenStored(() -> execute(task));
    }

    private void forgetEntry(long entrySeq, Message message) {
        if (entrySeq != 0) {
            journal.removeEntry(entrySeq, message.storedId());
        }
    }

    private void storeEntry(Delivery d, Runnable thenOnLoop) {
        QueueEntry e = new QueueEntry(d.message.storedId(), d.qos, d.retainFlag, d.packetId, d.pubrelSent,
                d.subscriptionIds);
        journal.putEntry(d.entrySeq, e, thenOnLoop == null ? null : () -> execute(thenOnLoop));
    }

    private void updateCounts() {
        queuedCount = (int) Math.min(Integer.MAX_VALUE, queue.size() + diskCount);
    }

    /** Queued messages held in memory (the rest of a long queue is on disk). */
    public int queuedInMemory() {
        return queue.size();
    }

    /**
     * Runs a task on the session's loop. The loop changes when the client reconnects through
     * another one, so a task that arrives at the old loop follows the session to the new one.
     */
    public void execute(Runnable task) {
        EventLoop l = loop;
        if (l.inEventLoop()) {
            task.run();
        } else {
            l.execute(() -> execute(task));
        }
    }

    // ---- access control ------------------------------------------------------------------

    /**
     * Sets which topics this client may receive (its listener's ACL for its user name and client
     * id); set at each connection, kept while the client is away, checked on every delivery.
     */
    public void setReadPermission(ReadPermission permission) {
        this.readPermission = permission;
    }

    /** Whether the ACL lets this client receive a message on a topic; false while it is unknown. Any thread. */
    public boolean mayRead(String topic) {
        return Boolean.TRUE.equals(readPermission.now(topic));
    }

    /** As {@link #mayRead}, but null when a backend has to be asked ({@link #offerWhenAllowed}). */
    @Override
    public Boolean mayReadNow(String topic) {
        return readPermission.now(topic);
    }

    /**
     * Delivers a message once the backend that had to be asked allows it, on this session's
     * loop; does not consume the caller's reference. Such a message may arrive after later ones
     * whose check was already known.
     */
    @Override
    public void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                 Subscriber shared) {
        message.retainRef();
        readPermission.later(message.topic()).whenComplete((allowed, failure) -> execute(() -> {
            try {
                if (Boolean.TRUE.equals(allowed) && !discarded) {
                    deliver(message, qos, retainFlag, subscriptionIds, shared);
                }
            } finally {
                message.release();
            }
        }));
    }

    /**
     * A session restored at start-up does not know its client's user name until the client
     * reconnects, so what is queued meanwhile cannot be checked against the ACL when it is
     * routed: every such message is checked again when it is sent.
     */
    public void checkReadPermissionOnSend() {
        this.checkOnSend = true;
    }

    // ---- connection ----------------------------------------------------------------------

    @Override
    public boolean isConnected() {
        return link != null;
    }

    public ClientLink link() {
        return link;
    }

    /**
     * Attaches a new connection, moving the session to its loop (call on the current loop).
     * The caller then runs {@link #resume} on the new loop.
     */
    public void moveTo(EventLoop newLoop) {
        this.loop = newLoop;
    }

    /**
     * On the connection's loop, after CONNACK: resends what was in flight — PUBLISH with DUP, or
     * PUBREL where PUBREC already came [MQTT-4.4.0-1] — then drains the queue.
     */
    public void resume(ClientLink newLink) {
        this.link = newLink;
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
        drain();
    }

    /** The connection ended; queued and in-flight messages stay for a persistent session. */
    public void detach(ClientLink oldLink) {
        if (link == oldLink) {
            link = null;
            recordDisconnected();
            relievePressure(); // an offline session's queue never holds publishers back
        }
    }

    // ---- outbound ------------------------------------------------------------------------

    /**
     * Delivers a message at a QoS with a RETAIN flag: sent now if the connection and the
     * in-flight window allow, else queued within the limits, else dropped and counted.
     * Does not consume the caller's reference.
     */
    public void deliver(Message message, int qos, boolean retainFlag) {
        deliver(message, qos, retainFlag, Message.NO_IDS, null);
    }

    /**
     * As {@link #deliver(Message, int, boolean)}, with the MQTT 5 subscription identifiers of the
     * matching subscriptions, and the shared subscription ({@code $share/...}) the session was
     * chosen for, or null.
     */
    public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared) {
        deliver(message, qos, retainFlag, subscriptionIds, shared, 0, Long.MAX_VALUE);
    }

    /**
     * As {@link #deliver(Message, int, boolean, int[], Subscriber)}, for a message whose place in
     * this session's queue is already stored as entry {@code entrySeq} (0: not stored) by group
     * commit {@code batch}, so that a delivery a disk read already brought in is not queued twice.
     */
    public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                        long entrySeq, long batch) {
        if (discarded) {
            forgetEntry(entrySeq, message); // routed to a session that ended meanwhile
            return;
        }
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

    /** Sends, queues or drops a delivery that holds its own message reference (consumed here). */
    private void deliver(Delivery d, long batch) {
        if (link != null && queue.isEmpty()
                && (d.qos == 0 ? link.acceptsQos0() : link.isWritable() && inflightHasRoom(d))) {
            send(d);
            return;
        }
        if (link == null && d.qos == 0 && !limits.queueQos0Messages()) {
            d.message.release(); // Mosquitto does not queue QoS 0 for offline clients unless asked to
            return;
        }
        if (queueIsFull(d.message.payloadSize())) {
            stats.publishDropped.increment();
            forgetEntry(d.entrySeq, d.message);
            d.message.release();
            return;
        }
        if (d.entrySeq != 0 && queue.size() >= limits.tunables().memoryWindow()) {
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
        queue.add(d);
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
        long max = limits.maxQueuedBytesTotal();
        if (max == 0 || stats.queuedBytes.sum() + size <= max) {
            return false;
        }
        for (java.util.Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
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

    /** Every change to this queue's bytes goes here, so the broker-wide total stays right. */
    private void addQueuedBytes(long delta) {
        queuedBytes += delta;
        stats.queuedBytes.add(delta);
    }

    /**
     * {@link #deliver(Message, int, boolean, int[], Subscriber)} from any thread (the router runs
     * on the publisher's loop). On the session's own loop it delivers at once; from another loop
     * the delivery goes onto the session's inbox, and only the delivery that finds the inbox empty
     * schedules a task to drain it, so a burst of messages for one session costs its loop one
     * task, not one task (and two lambdas) per message. Per-thread order is kept: a publisher's
     * messages all come from its connection's loop. Does not consume the caller's reference.
     */
    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        Delivery d = new Delivery(message.retainRef(), qos, retainFlag, subscriptionIds, shared);
        if (inbox.isEmpty() && loop.inEventLoop()) {
            deliverOffered(d);
            if (pressure.pressing()) {
                congestion.note(this);
            }
            return;
        }
        // Inbox sizes for back-pressure (Tunables.inboxHigh/inboxLow): the inbox is work the broker
        // owes this session's loop, not a slow client's backlog (that is the queue, bounded by
        // max_queued_messages); without a bound, publishers on other loops that outrun a busy loop
        // would grow the heap without end.
        boolean wasEmpty = inbox.push(d);
        int waiting = inbox.size();
        if (waiting > limits.tunables().inboxHigh() || pressure.pressing() || wouldBacklog(waiting)) {
            congestion.note(this);
        }
        if (wasEmpty) {
            execute(this::drainInbox);
        }
    }

    private void deliverOffered(Delivery d) {
        if (discarded) {
            d.message.release(); // routed to a session that ended meanwhile
        } else {
            deliver(d, Long.MAX_VALUE);
            checkBacklog();
        }
    }

    /** After a delivery: starts pressing on publishers when the backlog went over its high mark. */
    private void checkBacklog() {
        if (link != null && !pressure.pressing() && backlogOverHigh()) {
            pressure.overHigh(loop, limits.tunables(), this::wakePausedPublishers);
        }
    }

    /**
     * The backlog marks for {@link BacklogPressure}: high at half of max_queued_messages or
     * max_queued_bytes (of the in-memory window when unlimited), or half of the QoS 0 bytes a
     * connection may hold; low at a quarter of high, with the socket writable again. Between
     * the two the subscriber catches up without a pause at every message.
     */
    private boolean backlogOverHigh() {
        if (queue.isEmpty() && diskCount == 0 && link.isWritable()) {
            return false;
        }
        long maxBytes = limits.maxQueuedBytes();
        return queue.size() + diskCount >= backlogHigh() || (maxBytes > 0 && queuedBytes >= maxBytes / 2)
                || link.isBackedUp();
    }

    private boolean backlogUnderLow() {
        long maxBytes = limits.maxQueuedBytes();
        return queue.size() + diskCount <= backlogHigh() / 4 && (maxBytes == 0 || queuedBytes <= maxBytes / 8)
                && link.isWritable();
    }

    /**
     * From another loop, which reads a burst faster than this loop can take it in: whether the
     * deliveries waiting in the inbox, and the stored ones on their way, would take the backlog
     * over its high mark.
     */
    private boolean wouldBacklog(int waiting) {
        return link != null && waiting + inbox.planned() + queuedCount >= backlogHigh() && pressure.mayPress();
    }

    /**
     * On the publisher's loop, when {@code Router.plan} counts this session among a stored
     * message's targets: the delivery comes after the group commit, so it is counted from now,
     * and the publisher is told to wait (through the {@link Congestion} it is given) when the backlog presses or
     * would. Reads paused then keep a burst out of the store too, not only out of the queue.
     */
    @Override
    public void notePlanned(Congestion congestion) {
        inbox.planned(1);
        if (pressure.pressing() || wouldBacklog(inbox.size())) {
            congestion.note(this);
        }
    }

    /** A planned delivery that will not come: its message could not be stored. */
    @Override
    public void plannedDropped() {
        inbox.planned(-1);
        if (relieved()) {
            wakePausedPublishers();
        }
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                Subscriber shared, long entrySeq, long batch) {
        message.retainRef();
        execute(() -> {
            try {
                deliverPlanned(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
            } finally {
                message.release();
            }
        });
    }

    /**
     * {@link #deliver(Message, int, boolean, int[], Subscriber, long, long)} for a delivery
     * {@link #notePlanned} counted; on the session's loop.
     */
    private void deliverPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                               long entrySeq, long batch) {
        inbox.planned(-1);
        deliver(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
        checkBacklog();
        if (inbox.hasWaiters() && relieved()) {
            wakePausedPublishers();
        }
    }

    private int backlogHigh() {
        int max = limits.maxQueuedMessages();
        return max > 0 ? Math.max(1, max / 2) : limits.tunables().memoryWindow();
    }

    /** Ends a backlog episode (the subscriber caught up, or left): paused publishers read again. */
    private void relievePressure() {
        if (pressure.underLow() && relieved()) {
            wakePausedPublishers();
        }
    }

    /**
     * Whether publishers paused for this session may read again: its inbox is short, and its
     * backlog neither presses nor would with what waits in the inbox or the store. Any thread.
     */
    private boolean relieved() {
        int waiting = inbox.size();
        return waiting < limits.tunables().inboxLow() && !pressure.pressing() && !wouldBacklog(waiting);
    }

    /**
     * Runs {@code resume} once (on this or another loop) when publishers may read again: the
     * inbox is under Tunables.inboxLow and the backlog no longer presses ({@link #relieved}).
     */
    @Override
    public void whenRelieved(Runnable resume) {
        inbox.addWaiter(resume);
        if (relieved()) {
            wakePausedPublishers(); // relieved meanwhile: nobody else may look again
        }
    }

    private void wakePausedPublishers() {
        inbox.wakeWaiters();
    }

    /** On the session's loop: delivers what other loops offered, oldest first. */
    private void drainInbox() {
        Delivery oldestFirst = inbox.takeAll();
        int taken = 0;
        while (oldestFirst != null) {
            Delivery next = oldestFirst.next;
            oldestFirst.next = null;
            deliverOffered(oldestFirst);
            oldestFirst = next;
            taken++;
        }
        inbox.taken(taken);
        if (relieved()) {
            wakePausedPublishers();
        }
    }

    private boolean queueIsFull(int size) {
        int maxMessages = limits.maxQueuedMessages();
        long maxBytes = limits.maxQueuedBytes();
        return (maxMessages > 0 && queue.size() + diskCount >= maxMessages)
                || (maxBytes > 0 && queuedBytes + size > maxBytes);
    }

    /**
     * max_inflight_messages, narrowed by the client's Receive Maximum [MQTT-3.3.4-9], and
     * max_inflight_bytes, which, as in Mosquitto, still lets a message larger than the whole
     * budget go out alone.
     */
    private boolean inflightHasRoom(Delivery next) {
        int max = limits.maxInflightMessages();
        int clientMax = link != null ? link.receiveMaximum() : 65_535;
        int window = max == 0 ? clientMax : Math.min(max, clientMax);
        if (inflight.size() >= window) {
            return false;
        }
        long maxBytes = limits.maxInflightBytes();
        return maxBytes == 0 || inflight.isEmpty() || inflightBytes + next.message.payloadSize() <= maxBytes;
    }

    private void send(Delivery d) {
        if (d.message.expiresAtMillis() != 0 && d.message.isExpired(System.currentTimeMillis())) {
            forgetEntry(d.entrySeq, d.message);
            d.message.release(); // expired while queued: not sent [MQTT-3.3.2-5]
            return;
        }
        if (checkOnSend && !mayRead(d.message.topic())) {
            forgetEntry(d.entrySeq, d.message);
            d.message.release(); // the ACL denies it: Mosquitto never sends what a client may not read
            return;
        }
        int id = 0;
        if (d.qos > 0) {
            id = packetIds.next(inflight::contains);
            if (id == 0) {
                queue.addFirst(d); // every id in use: wait for an acknowledgement
                addQueuedBytes(d.message.payloadSize());
                return;
            }
        }
        Publish p = d.message.toPublish(d.qos, d.retainFlag, false, id, d.subscriptionIds);
        if (!link.fits(p)) {
            // Over the client's Maximum Packet Size: discarded as if sent and acknowledged [MQTT-3.1.2-25].
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
                        if (link != null && inflight.get(sent) == d) {
                            sendPublish(d, false);
                        }
                    });
                    return;
                }
                storeEntry(d, null); // QoS 1: a lost id only means a resend under a new one
            }
        }
        link.send(p);
        countSent(d.message, d.qos);
        if (d.qos == 0) {
            d.message.release();
        }
    }

    private void sendPublish(Delivery d, boolean dup) {
        Publish p = d.message.toPublish(d.qos, d.retainFlag, dup, d.packetId, d.subscriptionIds);
        link.send(p);
        countSent(d.message, d.qos);
    }

    private void countSent(Message m, int qos) {
        pressure.sent();
        stats.publishSent.increment();
        stats.publishSentByQos[qos].increment();
        stats.publishBytesSent.add(m.payloadSize());
    }

    /** Moves queued messages out while the connection, its writability and the window allow. */
    public void drain() {
        while (link != null && !queue.isEmpty() && link.isWritable()) {
            Delivery d = queue.peek();
            if (d.qos > 0 && !inflightHasRoom(d)) {
                break;
            }
            queue.poll();
            addQueuedBytes(-d.message.payloadSize());
            send(d);
        }
        updateCounts();
        if (pressure.pressing() && link != null && backlogUnderLow()) {
            relievePressure();
        }
        if (onDisk && !reading && link != null && queue.size() < limits.tunables().memoryWindow() / 2) {
            readFromDisk();
        }
    }

    /** Asks the store for the next queued entries, skipping those in memory. */
    private void readFromDisk() {
        reading = true;
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
        journal.readQueue(exclude, limits.tunables().memoryWindow() - queue.size(), page -> execute(() -> onPage(page)));
    }

    private void onPage(QueuePage page) {
        if (page.entries().isEmpty() && !page.exhausted()) {
            // The read failed (the store logged why): try again in a second, not in a loop.
            page.release();
            loop.schedule(() -> execute(() -> {
                reading = false;
                drain();
            }), 1, TimeUnit.SECONDS);
            return;
        }
        reading = false;
        try {
            if (discarded) {
                return;
            }
            seenUpTo = Math.max(seenUpTo, page.batch());
            for (QueuePage.Entry e : page.entries()) {
                queue.add(new Delivery(e.message().retainRef(), e.entry().qos(), e.entry().retainFlag(),
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
        drain();
    }

    /** PUBACK: a QoS 1 delivery is done. Returns false if the id was not in flight at QoS 1. */
    public boolean onPuback(int packetId) {
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
    public boolean onPubrec(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2) {
            return false;
        }
        if (d.awaitingStore) {
            return true; // PUBREL follows when the store answers
        }
        if (d.pubrelSent || d.entrySeq == 0) {
            d.pubrelSent = true;
            link.send(new Pubrel(packetId));
            return true;
        }
        d.pubrelSent = true;
        d.awaitingStore = true;
        storeEntry(d, () -> {
            d.awaitingStore = false;
            if (link != null && inflight.get(packetId) == d) {
                link.send(new Pubrel(packetId));
            }
        });
        return true;
    }

    /** PUBREC with a failure reason code (MQTT 5): the QoS 2 delivery ends there, no PUBREL. */
    public boolean onPubrecFailure(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2 || d.pubrelSent) {
            return false;
        }
        complete(packetId, d);
        return true;
    }

    /** PUBCOMP: a QoS 2 delivery is done. */
    public boolean onPubcomp(int packetId) {
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
        drain();
    }

    // ---- inbound QoS 2 -------------------------------------------------------------------

    /** Records an inbound QoS 2 packet id; false if it is already held (a resent PUBLISH: do not route again). */
    public boolean beginInboundQos2(int packetId) {
        return inboundQos2.begin(packetId);
    }

    /** Whether an inbound QoS 2 id awaits PUBREL (a PUBLISH with it again is a resend). */
    public boolean holdsInboundQos2(int packetId) {
        return inboundQos2.holds(packetId);
    }

    /** PUBREL from the client: forgets the id; false if it was not held. In memory only. */
    public boolean endInboundQos2(int packetId) {
        return inboundQos2.end(packetId);
    }

    /**
     * PUBREL from the client: forgets the id, then runs {@code thenOnLoop} (PUBCOMP, told whether
     * the id was held) once the journal has forgotten it too.
     */
    public void endInboundQos2(int packetId, java.util.function.Consumer<Boolean> thenOnLoop) {
        inboundQos2.end(packetId, journal, () -> execute(() -> thenOnLoop.accept(true)), thenOnLoop);
    }

    /** Inbound QoS 2 messages not yet released: they count against our Receive Maximum. */
    public int inboundQos2Count() {
        return inboundQos2.count();
    }

    // ---- subscriptions -------------------------------------------------------------------

    public static String subscriptionKey(String shareGroup, String filter) {
        return Subscriptions.key(shareGroup, filter);
    }

    public void addSubscription(Subscriber s) {
        subscriptions.add(s, journal);
    }

    public Subscriber removeSubscription(String shareGroup, String filter) {
        return subscriptions.remove(shareGroup, filter, journal, !discarded);
    }

    public boolean hasSubscription(String shareGroup, String filter) {
        return subscriptions.has(shareGroup, filter);
    }

    public Collection<Subscriber> subscriptions() {
        return subscriptions.all();
    }

    // ---- end of life ---------------------------------------------------------------------

    /**
     * Visits the unacknowledged QoS 1/2 messages (in flight, not yet past PUBREC, or queued) that
     * were sent to this session for a shared subscription, so that another member can get them
     * when this session ends (MQTT 5.0 4.8.2). The session keeps its references.
     */
    public void forEachUnackedShared(BiConsumer<Message, Subscriber> visitor) {
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

    /** Releases every held message and removes the session from the store; the session is gone. */
    public void discard() {
        discarded = true;
        journal.drop(clientId);
        releaseMemory();
    }

    /**
     * The broker is shutting down (its loops have stopped): releases the messages held in
     * memory, leaving the store untouched for the next start.
     */
    public void shutdown() {
        discarded = true;
        releaseMemory();
    }

    private void releaseMemory() {
        cancelExpiry();
        cancelWill();
        int taken = 0;
        for (Delivery d = inbox.takeAll(); d != null; d = d.next) {
            d.message.release();
            taken++;
        }
        inbox.taken(taken);
        pressure.underLow();
        wakePausedPublishers(); // publishers paused for this session read again
        for (Delivery d : inflight) {
            d.message.release();
        }
        for (Delivery d : queue) {
            d.message.release();
        }
        inflight.clear();
        inflightBytes = 0;
        queue.clear();
        onDisk = false;
        diskCount = 0;
        addQueuedBytes(-queuedBytes);
        queuedCount = 0;
        inflightCount = 0;
        inboundQos2.clear();
    }

    /** For $SYS and the console; may be slightly stale when read from another thread. */
    public int queuedCount() {
        return queuedCount;
    }

    public int inflightCount() {
        return inflightCount;
    }

    public int subscriptionCount() {
        return subscriptions.count();
    }
}
