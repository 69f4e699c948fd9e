package io.courtier.broker.session;

import io.courtier.broker.routing.Subscriber;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Pubrel;
import io.courtier.codec.Publish;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One client's session: its subscriptions, the outbound messages in flight (sent at QoS 1/2,
 * not yet acknowledged), the queue behind them, and the inbound QoS 2 packet ids awaiting
 * PUBREL. Owned by one event loop — the one of its current connection — and mutated only there:
 * other threads hand it work with {@link #execute}. No locks.
 */
public final class Session {

    private final String clientId;
    private final boolean cleanSession;
    private final SessionLimits limits;
    private final BrokerStats stats;
    private volatile EventLoop loop;

    private final Map<String, Subscriber> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Delivery> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private final PacketIds packetIds = new PacketIds();
    private long queuedBytes;
    private ClientLink link;
    private volatile int queuedCount;
    private volatile int inflightCount;
    private volatile int subscriptionCount;
    private volatile java.util.function.Predicate<String> readPermission = topic -> true;

    public Session(String clientId, boolean cleanSession, SessionLimits limits, BrokerStats stats, EventLoop loop) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
        this.limits = limits;
        this.stats = stats;
        this.loop = loop;
    }

    public String clientId() {
        return clientId;
    }

    public boolean cleanSession() {
        return cleanSession;
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
        if (link != null && queue.isEmpty() && link.isWritable() && (qos == 0 || inflightHasRoom())) {
            send(new Delivery(message.retainRef(), qos, retainFlag));
            return;
        }
        if (link == null && qos == 0 && !limits.queueQos0Messages()) {
            return; // Mosquitto does not queue QoS 0 for offline clients unless asked to
        }
        if (queueIsFull(message.payloadSize())) {
            stats.publishDropped.increment();
            return;
        }
        queue.add(new Delivery(message.retainRef(), qos, retainFlag));
        queuedBytes += message.payloadSize();
        queuedCount = queue.size();
    }

    private boolean queueIsFull(int size) {
        int maxMessages = limits.maxQueuedMessages();
        long maxBytes = limits.maxQueuedBytes();
        return (maxMessages > 0 && queue.size() >= maxMessages)
                || (maxBytes > 0 && queuedBytes + size > maxBytes);
    }

    private boolean inflightHasRoom() {
        int max = limits.maxInflightMessages();
        return max == 0 || inflight.size() < max;
    }

    private void send(Delivery d) {
        if (d.qos == 0) {
            link.send(d.message.toPublish(0, d.retainFlag, false, 0));
            countSent(d.message);
            d.message.release();
            return;
        }
        int id = packetIds.next(inflight::containsKey);
        if (id == 0) {
            queue.addFirst(d); // every id in use: wait for an acknowledgement
            return;
        }
        d.packetId = id;
        inflight.put(id, d);
        inflightCount = inflight.size();
        sendPublish(d, false);
    }

    private void sendPublish(Delivery d, boolean dup) {
        Publish p = d.message.toPublish(d.qos, d.retainFlag, dup, d.packetId);
        link.send(p);
        countSent(d.message);
    }

    private void countSent(Message m) {
        stats.publishSent.increment();
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

    /** PUBREL from the client: forgets the id. */
    public void endInboundQos2(int packetId) {
        inboundQos2.remove(packetId);
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

    /** Releases every held message; the session is gone. */
    public void discard() {
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
