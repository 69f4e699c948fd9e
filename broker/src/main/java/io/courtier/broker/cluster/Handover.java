package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.TopicMatcher;
import io.courtier.broker.session.ClientPresence.HeldMessage;
import io.courtier.broker.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A session this node took from the cluster, while the other nodes let go of its parked copy.
 * Until each node has said so ({@link HandoverFrames#RELEASED}, written on its link after
 * everything it routed to the parked copy), a message may reach the session by two paths: taken
 * from the queue, or sent here by a node whose append the closed queue refused (or that heard of
 * the take first), and forwarded here by that node's routes. Every path asks {@link #firstTime}
 * with the message's cluster-wide origin, so the session gets it once; nothing here depends on
 * how late a node is.
 * <p>
 * It is also, under the client's own id, the delivery target for what this node routes to the
 * session before the session is restored here (between the take and CONNACK): those messages wait
 * and follow the queue's into the session ({@link #resumed}). Once the session is registered the
 * router finds it first.
 */
final class Handover extends UnstoredTarget {

    final String clientId;
    /** The session's subscriptions, under its own client id, once the header is taken ({@link #begin}). */
    volatile List<Subscriber> subscriptions = List.of();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /** Nodes that may still send it something by the parked copy. Guarded by this. */
    private final Set<String> waitingFor;
    private final Consumer<Handover> finished;
    /** Guarded by this: null until the session is here. */
    private Session session;
    /** What came before the session was restored here. Guarded by this. */
    private List<HeldMessage> early = new ArrayList<>();
    private boolean abandoned;
    private volatile boolean released;
    /** The parked header's time of the take (each parking has its own), once {@link #begin}; 0 before. */
    private long parkedAt;
    /** Nodes' word that came before {@link #begin}: node → the take it answers. Guarded by this. */
    private final Map<String, Long> before = new HashMap<>();

    /**
     * Made before the session's header is taken, so that no node's word that it let go can come
     * before this node listens for it.
     *
     * @param nodes    the nodes in the cluster now (this one included)
     * @param finished runs once every node let go and the session is here (or will not be)
     */
    Handover(String clientId, Set<String> nodes, Consumer<Handover> finished) {
        this.clientId = clientId;
        this.waitingFor = new HashSet<>(nodes);
        this.finished = finished;
    }

    /** The header is taken: the session's subscriptions, and the time it was parked. */
    void begin(List<Subscriber> subs, long parkedAt) {
        this.subscriptions = subs;
        List<String> early;
        synchronized (this) {
            this.parkedAt = parkedAt;
            early = before.entrySet().stream().filter(e -> e.getValue() == parkedAt).map(Map.Entry::getKey)
                    .toList();
            before.clear();
        }
        early.forEach(this::released);
    }

    synchronized long parkedAt() {
        return parkedAt;
    }

    /** {@code node} let go of the parked copy of the take of {@code takenParkedAt} (another take's word is ignored). */
    void released(String node, long takenParkedAt) {
        synchronized (this) {
            if (parkedAt == 0) {
                before.put(node, takenParkedAt);
                return;
            }
            if (parkedAt != takenParkedAt) {
                return;
            }
        }
        released(node);
    }

    /** Whether a message with this origin reaches the session for the first time (and, from now on, not again). */
    boolean firstTime(String origin) {
        return origin == null || seen.add(origin);
    }

    /** Whether the session still has to be kept from getting a message twice. */
    boolean open() {
        return !released;
    }

    /** Whether the session's subscriptions match {@code topic}. */
    boolean matches(String topic) {
        for (Subscriber s : subscriptions) {
            if (TopicMatcher.matches(s.filter(), topic)) {
                return true;
            }
        }
        return false;
    }

    /** A message for the session that came by its parked copy; owns the reference. */
    void deliver(HeldMessage h) {
        if (!firstTime(h.message().clusterOrigin())) {
            h.message().release();
            return;
        }
        Session s;
        synchronized (this) {
            s = session;
            if (s == null) {
                if (abandoned) {
                    h.message().release();
                } else {
                    early.add(h);
                }
                return;
            }
        }
        deliverTo(s, List.of(h));
    }

    private static void deliverTo(Session s, List<HeldMessage> messages) {
        s.execute(() -> {
            for (HeldMessage h : messages) {
                s.deliver(h.message(), h.qos(), h.retainFlag(), h.subscriptionIds(), null);
                h.message().release();
            }
        });
    }

    /** The session is here (on its loop, after what the queue held): what waited follows. */
    void resumed(Session s) {
        List<HeldMessage> waited;
        synchronized (this) {
            session = s;
            waited = early;
            early = null;
        }
        deliverTo(s, waited);
        maybeFinished();
    }

    /** The session was not restored here after all (a clean start, or another took the id): what waited goes. */
    void abandon() {
        List<HeldMessage> waited;
        synchronized (this) {
            abandoned = true;
            waited = early == null ? List.of() : early;
            early = null;
        }
        waited.forEach(h -> h.message().release());
        maybeFinished();
    }

    /** {@code node} let go of the parked copy, or left the cluster. */
    void released(String node) {
        synchronized (this) {
            if (!waitingFor.remove(node) || !waitingFor.isEmpty()) {
                return;
            }
            released = true;
        }
        maybeFinished();
    }

    /** The session, once restored here and every node let go; null otherwise. */
    synchronized Session session() {
        return session;
    }

    private void maybeFinished() {
        boolean done;
        synchronized (this) {
            done = released && (session != null || abandoned) && early == null;
            if (done) {
                early = List.of(); // once
            }
        }
        if (done) {
            seen.clear();
            finished.accept(this);
        }
    }

    // ---- the session's target until it is restored here ---------------------------------

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public boolean takesForwarded() {
        return true;
    }

    @Override
    public void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                                 Subscriber shared) {
        message.retainRef();
        HeldMessage h = new HeldMessage(message, qos, retainFlag, subscriptionIds, 0, false);
        Session s;
        synchronized (this) {
            s = session;
            if (s == null && !abandoned) {
                early.add(h);
                return;
            }
        }
        if (s != null) {
            deliverTo(s, List.of(h));
        } else {
            message.release();
        }
    }

    @Override
    public void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                      Congestion congestion) {
        offerWhenAllowed(message, qos, retainFlag, subscriptionIds, shared);
    }

    @Override
    public void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                                long entrySeq, long batch) {
        offerWhenAllowed(message, qos, retainFlag, subscriptionIds, shared);
    }

    @Override
    public String toString() {
        return "handover of " + clientId;
    }
}
