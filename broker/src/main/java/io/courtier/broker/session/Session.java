package io.courtier.broker.session;

import io.courtier.broker.routing.Subscriber;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Publish;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 */
public final class Session {

    /** Session expiry interval meaning "never expires" (0xFFFFFFFF, MQTT 5.0 3.1.2.11.2). */
    public static final long NEVER = 0xFFFF_FFFFL;

    private final String clientId;
    private volatile long expiryInterval;
    private final SessionLimits limits;
    private final BrokerStats stats;
    private volatile EventLoop loop;

    private final Map<String, Subscriber> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Delivery> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private final PacketIds packetIds = new PacketIds();
    private long queuedBytes;
    /** Written on the session's loop; volatile because routing threads ask {@link #isConnected}. */
    private volatile ClientLink link;
    private volatile int queuedCount;
    private volatile int inflightCount;
    private volatile int subscriptionCount;
    private volatile java.util.function.Predicate<String> readPermission = topic -> true;
    private ScheduledFuture<?> expiryTask;
    private Runnable pendingWill;
    private ScheduledFuture<?> willTask;

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
        cancelExpiry();
        if (expiryInterval != NEVER) {
            expiryTask = loop.schedule(() -> execute(() -> {
                if (link == null) {
                    end.run();
                }
            }), expiryInterval, TimeUnit.SECONDS);
        }
    }

    public void cancelExpiry() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
    }

    /**
     * A will with a delay (MQTT 5 Will Delay Interval): published after {@code delaySeconds}
     * unless a new connection resumes the session first [MQTT-3.1.3-9], or at once when the
     * session ends before that ({@link #firePendingWill}).
     */
    public void scheduleWill(long delaySeconds, Runnable publish) {
        cancelWill();
        pendingWill = publish;
        willTask = loop.schedule(() -> execute(this::firePendingWill), delaySeconds, TimeUnit.SECONDS);
    }

    /** Publishes a delayed will now, if one is waiting. */
    public void firePendingWill() {
        Runnable w = pendingWill;
        cancelWill();
        if (w != null) {
            w.run();
        }
    }

    /** A new connection resumed the session: its delayed will is not sent [MQTT-3.1.3-9]. */
    public void cancelWill() {
        pendingWill = null;
        if (willTask != null) {
            willTask.cancel(false);
            willTask = null;
        }
    }

    public EventLoop loop() {
        return loop;
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
    public void setReadPermission(java.util.function.Predicate<String> permission) {
        this.readPermission = permission;
    }

    /** Whether the ACL lets this client receive a message on a topic. Any thread. */
    public boolean mayRead(String topic) {
        return readPermission.test(topic);
    }

    // ---- connection ----------------------------------------------------------------------

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
        for (Delivery d : inflight.values()) {
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
        if (link != null && queue.isEmpty() && link.isWritable() && (qos == 0 || inflightHasRoom())) {
            send(new Delivery(message.retainRef(), qos, retainFlag, subscriptionIds, shared));
            return;
        }
        if (link == null && qos == 0 && !limits.queueQos0Messages()) {
            return; // Mosquitto does not queue QoS 0 for offline clients unless asked to
        }
        if (queueIsFull(message.payloadSize())) {
            stats.publishDropped.increment();
            return;
        }
        queue.add(new Delivery(message.retainRef(), qos, retainFlag, subscriptionIds, shared));
        queuedBytes += message.payloadSize();
        queuedCount = queue.size();
    }

    private boolean queueIsFull(int size) {
        int maxMessages = limits.maxQueuedMessages();
        long maxBytes = limits.maxQueuedBytes();
        return (maxMessages > 0 && queue.size() >= maxMessages)
                || (maxBytes > 0 && queuedBytes + size > maxBytes);
    }

    /** max_inflight_messages, narrowed by the client's Receive Maximum [MQTT-3.3.4-9]. */
    private boolean inflightHasRoom() {
        int max = limits.maxInflightMessages();
        int clientMax = link != null ? link.receiveMaximum() : 65_535;
        int window = max == 0 ? clientMax : Math.min(max, clientMax);
        return inflight.size() < window;
    }

    private void send(Delivery d) {
        if (d.message.expiresAtMillis() != 0 && d.message.isExpired(System.currentTimeMillis())) {
            d.message.release(); // expired while queued: not sent [MQTT-3.3.2-5]
            return;
        }
        int id = 0;
        if (d.qos > 0) {
            id = packetIds.next(inflight::containsKey);
            if (id == 0) {
                queue.addFirst(d); // every id in use: wait for an acknowledgement
                return;
            }
        }
        Publish p = d.message.toPublish(d.qos, d.retainFlag, false, id, d.subscriptionIds);
        if (!link.fits(p)) {
            // Over the client's Maximum Packet Size: discarded as if sent and acknowledged [MQTT-3.1.2-25].
            p.release();
            stats.publishDropped.increment();
            d.message.release();
            return;
        }
        if (d.qos > 0) {
            d.packetId = id;
            inflight.put(id, d);
            inflightCount = inflight.size();
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
        stats.publishSent.increment();
        stats.publishSentByQos[qos].increment();
        stats.publishBytesSent.add(m.payloadSize());
    }

    /** Moves queued messages out while the connection, its writability and the window allow. */
    public void drain() {
        while (link != null && !queue.isEmpty() && link.isWritable()) {
            Delivery d = queue.peek();
            if (d.qos > 0 && !inflightHasRoom()) {
                break;
            }
            queue.poll();
            queuedBytes -= d.message.payloadSize();
            send(d);
        }
        queuedCount = queue.size();
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

    /** PUBREC: the first half of a QoS 2 delivery is done; the caller sends PUBREL. */
    public boolean onPubrec(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2) {
            return false;
        }
        d.pubrelSent = true;
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
        inflightCount = inflight.size();
        d.message.release();
        drain();
    }

    // ---- inbound QoS 2 -------------------------------------------------------------------

    /** Records an inbound QoS 2 packet id; false if it is already held (a resent PUBLISH: do not route again). */
    public boolean beginInboundQos2(int packetId) {
        return inboundQos2.add(packetId);
    }

    /** Whether an inbound QoS 2 id awaits PUBREL (a PUBLISH with it again is a resend). */
    public boolean holdsInboundQos2(int packetId) {
        return inboundQos2.contains(packetId);
    }

    /** PUBREL from the client: forgets the id; false if it was not held. */
    public boolean endInboundQos2(int packetId) {
        return inboundQos2.remove(packetId);
    }

    /** Inbound QoS 2 messages not yet released: they count against our Receive Maximum. */
    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    // ---- subscriptions -------------------------------------------------------------------

    public static String subscriptionKey(String shareGroup, String filter) {
        return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
    }

    public void addSubscription(Subscriber s) {
        subscriptions.put(subscriptionKey(s.shareGroup(), s.filter()), s);
        subscriptionCount = subscriptions.size();
    }

    public Subscriber removeSubscription(String shareGroup, String filter) {
        Subscriber s = subscriptions.remove(subscriptionKey(shareGroup, filter));
        subscriptionCount = subscriptions.size();
        return s;
    }

    public Collection<Subscriber> subscriptions() {
        return subscriptions.values();
    }

    // ---- end of life ---------------------------------------------------------------------

    /**
     * Visits the unacknowledged QoS 1/2 messages (in flight, not yet past PUBREC, or queued) that
     * were sent to this session for a shared subscription, so that another member can get them
     * when this session ends (MQTT 5.0 4.8.2). The session keeps its references.
     */
    public void forEachUnackedShared(BiConsumer<Message, Subscriber> visitor) {
        for (Delivery d : inflight.values()) {
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

    /** Releases every held message; the session is gone. */
    public void discard() {
        cancelExpiry();
        cancelWill();
        for (Delivery d : inflight.values()) {
            d.message.release();
        }
        for (Delivery d : queue) {
            d.message.release();
        }
        inflight.clear();
        queue.clear();
        queuedBytes = 0;
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
        return subscriptionCount;
    }
}
