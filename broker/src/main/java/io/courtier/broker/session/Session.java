package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One client's session, and the one object the other rooms talk to about it: the router hands it
 * messages (it is a {@link DeliveryTarget}), the packet handlers its acknowledgements and
 * subscriptions, the connection attaches and detaches. Owned by one event loop, the one of its
 * current connection, and mutated only there: other threads hand it work with {@link #execute}.
 * No locks.
 * <p>
 * The work is done by its parts, one job each: {@link Outbox} (the messages in flight and the
 * queue behind them, paged from disk when long), {@link Intake} (how the router's messages reach the
 * outbox), {@link Inbox} (what other loops hand it), {@link BacklogPressure} (when the publishers
 * feeding it must wait), {@link SessionTimers}
 * (expiry and a delayed will), {@link InboundQos2}, {@link Subscriptions}, and its
 * {@link SessionJournal}. This class is longer than our rule of thumb because it is their facade:
 * most methods are one line handing a call to its part, so that no other room depends on the parts.
 * <p>
 * Its life after the connection is its expiry interval (MQTT 5 Session Expiry Interval; 3.1.1
 * clean session 1 is 0, clean session 0 is {@link #NEVER}): 0 ends it with the connection.
 * <p>
 * A persistent session ({@link #persistTo}) records its state in its journal: subscriptions, its
 * record (connected or not, will, expiry), queue entries as they are sent (packet id) and
 * acknowledged (removed), and inbound QoS 2 ids as they are released. Those writes are not waited
 * for, except where exactly-once needs them on disk first: a QoS 2 PUBLISH goes out after its
 * packet id is stored, a PUBREL after its PUBREC is, and PUBCOMP after the inbound id is forgotten.
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
    private final InboundQos2 inboundQos2 = new InboundQos2();
    /** The messages in flight and queued for the client. */
    private final Outbox outbox;
    /** Written on the session's loop; volatile because routing threads ask {@link #isConnected}. */
    private volatile ClientLink link;
    private volatile ReadPermission readPermission = ReadPermission.ALL;
    private boolean checkOnSend;
    /** Made when a timer is first set: a connected session with nothing scheduled needs none. */
    private SessionTimers timers;
    /** Deliveries, planned deliveries and paused publishers from other loops; see {@link #offer}. */
    private final Inbox inbox = new Inbox();
    private final BacklogPressure pressure;
    /** How messages from the router reach the outbox: at once, through the inbox, or after the store. */
    private final Intake intake;

    /** Where a persistent session records what must survive; {@link SessionJournal#NONE} otherwise. */
    private volatile SessionJournal journal = SessionJournal.NONE;
    private boolean discarded;

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
        this.outbox = new Outbox(this, stats);
        this.pressure = new BacklogPressure(this, inbox, outbox);
        this.intake = new Intake(this, inbox, outbox, pressure);
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
        timers().scheduleExpiry(expiryInterval, end);
    }

    /** At start-up: the session was disconnected before, so its first expiry comes sooner. */
    public void restoreExpiresIn(long seconds) {
        timers().restoreExpiresIn(seconds);
    }

    public void cancelExpiry() {
        if (timers != null) {
            timers.cancelExpiry();
        }
    }

    /**
     * A will with a delay (MQTT 5 Will Delay Interval): published after {@code delaySeconds}
     * unless a new connection resumes the session first [MQTT-3.1.3-9], or at once when the
     * session ends before that ({@link #firePendingWill}).
     */
    public void scheduleWill(long delaySeconds, Runnable publish) {
        timers().scheduleWill(delaySeconds, publish);
    }

    /**
     * A delayed will handed from a session to whatever keeps waiting for it once the session
     * leaves this node (a cluster's parked session): {@code publish} sends it, after
     * {@code delayMillis}.
     */
    public record PendingWill(Runnable publish, long delayMillis) {
    }

    /** The delayed will that is waiting, taken away from this session; null when none is. */
    public PendingWill takePendingWill() {
        return timers == null ? null : timers.takePendingWill();
    }

    /** Publishes a delayed will now, if one is waiting. */
    public void firePendingWill() {
        if (timers != null) {
            timers.firePendingWill();
        }
    }

    /** A new connection resumed the session: its delayed will is not sent [MQTT-3.1.3-9]. */
    public void cancelWill() {
        if (timers != null) {
            timers.cancelWill();
        }
    }

    private SessionTimers timers() {
        if (timers == null) {
            timers = new SessionTimers(this);
        }
        return timers;
    }

    /**
     * While connected and backed up, this session holds its publishers back however long it takes,
     * instead of being let off as too slow after Tunables.slowMaxEpisode (when its messages beyond its
     * queue limit are dropped, as Mosquitto drops them). For a bridge's session: what the local
     * publishers were acknowledged must reach the remote broker. Offline, it never holds anyone.
     */
    public void neverTooSlow() {
        pressure.patient();
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

    /** Restores subscriptions at start-up (the caller puts them in the topic tree). */
    public void restoreSubscriptions(Collection<Subscriber> restored) {
        for (Subscriber s : restored) {
            subscriptions.restore(s);
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
        outbox.resend(newLink);
        drain();
    }

    /** The connection ended; queued and in-flight messages stay for a persistent session. */
    public void detach(ClientLink oldLink) {
        if (link == oldLink) {
            link = null;
            recordDisconnected();
            pressure.relieve(); // an offline session's queue never holds publishers back
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
            outbox.forgetEntry(entrySeq, message); // routed to a session that ended meanwhile
            return;
        }
        outbox.deliver(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
    }

    /**
     * {@link #deliver(Message, int, boolean, int[], Subscriber)} from any thread (the router runs
     * on the publisher's loop): see {@link Intake#offer}. Does not consume the caller's reference.
     */
    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        intake.offer(message, qos, retainFlag, subscriptionIds, shared, congestion);
    }

    @Override
    public void notePlanned(Congestion congestion) {
        intake.notePlanned(congestion);
    }

    @Override
    public void plannedDropped() {
        intake.plannedDropped();
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                Subscriber shared, long entrySeq, long batch) {
        intake.dispatchPlanned(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
    }

    @Override
    public void whenRelieved(Runnable resume) {
        intake.whenRelieved(resume);
    }

    /** Moves queued messages out while the connection, its writability and the window allow. */
    public void drain() {
        outbox.drain();
        pressure.afterDrain();
    }

    /** Restores a queued or in-flight message at start-up; takes a reference of its own. */
    public void restoreEntry(Message message, QueueEntry entry, long entrySeq) {
        outbox.restore(message, entry, entrySeq);
    }

    /** Notes, at start-up, queued entries left on disk beyond the memory window. */
    public void restoreOnDisk(long count) {
        outbox.restoreOnDisk(count);
    }

    /** Queued messages held in memory (the rest of a long queue is on disk). */
    public int queuedInMemory() {
        return outbox.queuedInMemory();
    }

    /** PUBACK: a QoS 1 delivery is done. Returns false if the id was not in flight at QoS 1. */
    public boolean onPuback(int packetId) {
        return outbox.onPuback(packetId);
    }

    /**
     * PUBREC: the first half of a QoS 2 delivery is done; PUBREL follows (once the journal knows,
     * so that a restart resends PUBREL and never the PUBLISH). Returns false if the id is not in
     * flight at QoS 2: the caller answers.
     */
    public boolean onPubrec(int packetId) {
        return outbox.onPubrec(packetId);
    }

    /** PUBREC with a failure reason code (MQTT 5): the QoS 2 delivery ends there, no PUBREL. */
    public boolean onPubrecFailure(int packetId) {
        return outbox.onPubrecFailure(packetId);
    }

    /** PUBCOMP: a QoS 2 delivery is done. */
    public boolean onPubcomp(int packetId) {
        return outbox.onPubcomp(packetId);
    }

    // ---- what the outbox asks of its session ----------------------------------------------

    EventLoop loopNow() {
        return loop;
    }

    SessionLimits limits() {
        return limits;
    }

    SessionJournal journal() {
        return journal;
    }

    boolean isDiscarded() {
        return discarded;
    }

    /** A message left for the client: the subscriber is taking what it is given. */
    void sentOne() {
        pressure.sent();
    }

    /**
     * The read ACL for a message about to be sent: always true, except for a session restored at
     * start-up, which did not know its client's user name when the message was routed
     * ({@link #checkReadPermissionOnSend}): then the ACL's answer, null when a backend must be asked.
     */
    /** The read ACL now: null when an authorisation backend must be asked ({@link #readCheckLater}). */
    Boolean readNow(String topic) {
        return readPermission.now(topic);
    }

    Boolean readCheckOnSend(String topic) {
        return checkOnSend ? readPermission.now(topic) : Boolean.TRUE;
    }

    /** The answer of the backend {@link #readCheckOnSend} could not give at once. */
    CompletableFuture<Boolean> readCheckLater(String topic) {
        return readPermission.later(topic);
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
    public void endInboundQos2(int packetId, Consumer<Boolean> thenOnLoop) {
        inboundQos2.end(packetId, journal, () -> execute(() -> thenOnLoop.accept(true)), thenOnLoop);
    }

    /**
     * The peer forgot its session (a bridge's remote broker answered "session present 0"): no
     * PUBREL will come for the ids held, and a new message may reuse one. Forgets them all.
     */
    public void forgetInboundQos2() {
        for (int id : inboundQos2.ids()) {
            endInboundQos2(id, known -> { });
        }
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
        outbox.forEachUnackedShared(visitor);
    }

    /** One message a session holds, as {@link #forEachHeld} shows it; {@code packetId} 0 while queued. */
    public interface HeldVisitor {
        void held(Message message, int qos, boolean retainFlag, int[] subscriptionIds, int packetId,
                  boolean pubrelSent);
    }

    /**
     * On the session's loop: takes in what other loops offered it, then visits every message it
     * holds, in flight then queued, oldest first (what moves with the session to another node).
     * The session keeps its references.
     */
    public void forEachHeld(HeldVisitor visitor) {
        intake.drainInboxNow();
        outbox.forEachHeld(visitor);
    }

    /** Whether part of its queue is on disk only (a long stored queue), not in {@link #forEachHeld}. */
    public boolean pagedOut() {
        return outbox.pagedOut();
    }

    /**
     * On the session's loop: reads the part of its queue that is on disk only into memory, so
     * that {@link #forEachHeld} sees all of it (a session leaving for the cluster), then tells
     * {@code then}, on the loop, whether it could.
     */
    public void pageInAll(Consumer<Boolean> then) {
        outbox.pageInAll(then);
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
        inbox.wakeWaiters(); // publishers paused for this session read again
        outbox.releaseAll();
        inboundQos2.clear();
    }

    /** For $SYS and the console; may be slightly stale when read from another thread. */
    public int queuedCount() {
        return outbox.queuedCount();
    }

    public int inflightCount() {
        return outbox.inflightCount();
    }

    public int subscriptionCount() {
        return subscriptions.count();
    }
}
