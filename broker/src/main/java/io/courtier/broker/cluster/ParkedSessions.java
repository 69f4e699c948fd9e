package io.courtier.broker.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Router;
import io.courtier.broker.session.ClientPresence.HeldMessage;
import io.courtier.broker.session.ClientPresence.MovedSession;
import io.courtier.broker.session.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline persistent sessions belong to the cluster, not to a node. When a persistent session's
 * client goes offline (or connects to another node), its node parks it: the session's
 * subscriptions and expiry go into the {@value #HEADERS} map, which every node listens to, and
 * the messages it held, in order, into its entry of the {@value #QUEUES} map (a
 * {@link ParkedQueue}); both keep {@code cluster_replicas} synchronous backups, so a parked
 * session survives the loss of any one node (with the default of 1). The local session then goes.
 * <p>
 * Every node holds a {@link ParkedTarget} per parked session, with its subscriptions in the topic
 * tree: the node that accepts a QoS 1/2 message appends it to the queue, and the publisher's
 * acknowledgement waits for that write. A CONNECT on any node takes the session: the header is
 * marked taken (every other node still routes to the queue, so nothing falls between the parked
 * copy and the new node's routes), the queue is emptied into a session here and marked taken;
 * {@value #LATE_MILLIS} ms later what was appended meanwhile is collected (less what reached this
 * node by route too) and both entries go. Each node sweeps the entries it owns: expired sessions, and queues no session stands
 * behind any more.
 */
final class ParkedSessions implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
        EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]>,
        EntryEvictedListener<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** Parked sessions' subscriptions and expiry, by client id ({@link ParkedHeader}). */
    static final String HEADERS = "courtier.parked";
    /** Parked sessions' messages, by client id ({@link ParkedQueue}). */
    static final String QUEUES = "courtier.parked.queues";
    /** Client ids of parked sessions as delivery targets: under the peers' prefix, which clients may not take. */
    static final String PREFIX = Router.PEER_PREFIX + "parked/";
    /** How long a node that resumed a session collects what publishers appended before they heard. */
    static final long LATE_MILLIS = 3_000;
    /**
     * How long a CONNECT waits for the node its client is connected to to park the session: past
     * the failure detector's timeout, so that a client whose node just died, reconnecting at once,
     * waits until the survivors know and takes its session's subscriptions.
     */
    static final long PARK_WAIT_MILLIS = (HazelcastSettings.MAX_NO_HEARTBEAT_SECONDS + 2) * 1000L;
    private static final long RETRY_MILLIS = 25;
    /** How long the parking node takes messages its peers still forward for the session. */
    private static final long FORWARDED_MILLIS = 10_000;
    private static final long SWEEP_MILLIS = 1_000;
    /** A queue with no session behind it, untouched this long, goes. */
    private static final long STALE_MILLIS = 60_000;

    private final String me;
    private final IMap<String, byte[]> headers;
    private final IMap<String, ParkedQueue> queues;
    private final ClusterBroker broker;
    private final ClientTable clients;
    private final Supplier<Set<String>> nodes;
    private final ScheduledExecutorService timer;
    /** The cluster room's writer thread: an online session's copies keep their order. */
    private final java.util.concurrent.Executor writer;
    private final Map<String, ParkedTarget> targets = new ConcurrentHashMap<>();
    /** Sessions this node took whose late appends it has yet to collect. */
    private final java.util.concurrent.atomic.AtomicInteger taking = new java.util.concurrent.atomic.AtomicInteger();
    /** Origins of what peers forwarded here meanwhile: a late append of one of them is a duplicate. */
    private final Set<String> forwardedWhileTaking = ConcurrentHashMap.newKeySet();

    ParkedSessions(String me, IMap<String, byte[]> headers, IMap<String, ParkedQueue> queues, ClusterBroker broker,
                   ClientTable clients, Supplier<Set<String>> nodes, ScheduledExecutorService timer,
                   java.util.concurrent.Executor writer) {
        this.writer = writer;
        this.me = me;
        this.headers = headers;
        this.queues = queues;
        this.broker = broker;
        this.clients = clients;
        this.nodes = nodes;
        this.timer = timer;
    }

    /** The two maps, with {@code replicas} synchronous backups each, and the queue's classes. */
    static void configure(Config config, int replicas) {
        config.addMapConfig(new MapConfig(HEADERS).setBackupCount(replicas));
        config.addMapConfig(new MapConfig(QUEUES).setBackupCount(replicas).setInMemoryFormat(InMemoryFormat.OBJECT));
        config.getSerializationConfig().addDataSerializableFactory(ParkedQueue.FACTORY_ID, new ParkedQueue.Factory());
    }

    /** Hears parked sessions come and go, takes those parked already, and sweeps every second. */
    void start() {
        headers.addEntryListener(this, true);
        for (Map.Entry<String, byte[]> e : headers.entrySet()) {
            parked(e.getKey(), e.getValue());
        }
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A peer forwarded a message here (its origin): noted while a take here collects late appends. */
    void forwarded(String origin) {
        if (taking.get() > 0 && origin != null) {
            forwardedWhileTaking.add(origin);
        }
    }

    int maxQueued() {
        return broker.maxQueuedMessages();
    }

    String origin(Message m) {
        return Origins.of(me, m);
    }

    // ---- parking --------------------------------------------------------------------------

    /** On the session's loop: see {@code ClientPresence.park}. */
    void park(Session s, BooleanSupplier removeHere, Runnable keepHere) {
        String id = s.clientId();
        List<Subscriber> subs = new ArrayList<>();
        for (Subscriber sub : s.subscriptions()) {
            subs.add(new Subscriber(PREFIX + id, sub.shareGroup(), sub.filter(), sub.qos(), sub.noLocal(),
                    sub.retainAsPublished(), sub.retainHandling(), sub.subscriptionId()));
        }
        long now = System.currentTimeMillis();
        byte[] header = ParkedHeader.encode(s.expiryInterval(), now, subs, null);
        // Before what it holds is read: from now on what this node routes for it is appended too.
        attach(id, subs).takeForwardedFor(FORWARDED_MILLIS);
        List<ParkedEntry> held = new ArrayList<>();
        Set<String> heldOrigins = new HashSet<>();
        s.forEachHeld((m, qos, retainFlag, ids, packetId, pubrelSent) -> {
            ParkedEntry e = new ParkedEntry(origin(m), m, qos, retainFlag, ids, packetId, pubrelSent);
            held.add(e);
            heldOrigins.add(e.origin);
        });
        queues.submitToKey(id, new ParkedQueueOps.Park(held, now))
                .thenCompose(v -> headers.setAsync(id, header))
                .whenComplete((v, failure) -> s.execute(() -> {
                    if (failure != null) {
                        LOG.warn("Client {}: could not park its session in the cluster ({}); it stays on this node.",
                                id, failure.toString());
                        unparked(id);
                        keepHere.run();
                    } else if (removeHere.getAsBoolean()) {
                        LOG.info("Client {}'s session is parked in the cluster: {} subscription(s), {} message(s).",
                                id, subs.size(), held.size());
                    } else {
                        // Its client came back here meanwhile: this node takes back what the cluster gathered.
                        take(id, token -> collect(id, token, true, fresh -> {
                            deliverTo(s, fresh, heldOrigins);
                            s.execute(() -> online(s));
                        }, late -> deliverTo(s, late, heldOrigins)));
                    }
                }));
    }

    private static void deliverTo(Session s, List<HeldMessage> messages, Set<String> already) {
        s.execute(() -> {
            for (HeldMessage h : messages) {
                if (!already.contains(h.message().clusterOrigin())) {
                    s.deliver(h.message(), h.qos(), h.retainFlag(), h.subscriptionIds(), null);
                }
                h.message().release();
            }
        });
    }

    // ---- online sessions ------------------------------------------------------------------

    /**
     * On the session's loop: a persistent session connected here, or its subscriptions changed.
     * Its subscriptions go to the cluster (never over a parked copy), so that if this node dies the
     * session is parked from them and its client resumes them elsewhere.
     */
    void online(Session s) {
        List<Subscriber> subs = List.copyOf(s.subscriptions());
        byte[] header = ParkedHeader.encode(s.expiryInterval(), System.currentTimeMillis(), subs, me);
        String id = s.clientId();
        writer.execute(() -> {
            if (s.isConnected()) { // not parked meanwhile
                headers.executeOnKey(id, new ParkedHeaderOps.SetOnline(me, header));
            }
        });
    }

    /** A persistent session ended here (a clean start, or expiry): its online copy goes. */
    void ended(String clientId) {
        writer.execute(() -> headers.executeOnKey(clientId, new ParkedHeaderOps.RemoveOnline(me, false)));
    }

    // ---- resuming -------------------------------------------------------------------------

    /** See {@code ClientPresence.take}. */
    CompletableFuture<MovedSession> take(String clientId, boolean cleanStart, Consumer<List<HeldMessage>> late) {
        CompletableFuture<MovedSession> result = new CompletableFuture<>();
        clients.lookup(clientId).whenComplete((value, failure) -> {
            String node = value == null ? null : ClientTable.nodeOf(value);
            boolean parking = value != null && ClientTable.persistentOf(value) && !me.equals(node)
                    && nodes.get().contains(node);
            if (parking) {
                clients.claim(clientId); // that node takes the connection over and parks the session
            }
            attempt(clientId, cleanStart, late, parking, System.currentTimeMillis() + PARK_WAIT_MILLIS, result);
        });
        return result;
    }

    private void attempt(String id, boolean cleanStart, Consumer<List<HeldMessage>> late, boolean parking,
                         long deadline, CompletableFuture<MovedSession> result) {
        headers.submitToKey(id, new ParkedHeaderOps.Take(me, nodes.get(), System.currentTimeMillis()))
                .whenComplete((header, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (header == null || header == ParkedHeaderOps.WAIT || header.length == 0) {
                boolean wait = header != null || parking;
                if (wait && System.currentTimeMillis() < deadline) {
                    timer.schedule(() -> attempt(id, cleanStart, late, parking, deadline, result), RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                } else {
                    result.complete(null);
                }
            } else {
                List<Subscriber> subs = ParkedHeader.decode(header, id).subscriptions();
                String token = Origins.next(me);
                collect(id, token, !cleanStart, held -> {
                    if (cleanStart) {
                        release(held);
                        LOG.info("Client {} connected with clean start: its parked session is discarded.", id);
                        result.complete(null);
                    } else {
                        result.complete(new MovedSession(subs, held));
                    }
                }, cleanStart ? ParkedSessions::release : late).exceptionally(f -> {
                    result.completeExceptionally(f);
                    return null;
                });
            }
        });
    }

    /** Takes the header away (every node drops its target), then hands the token to {@code then}. */
    private void take(String id, Consumer<String> then) {
        headers.removeAsync(id).whenComplete((h, f) -> then.accept(Origins.next(me)));
    }

    /**
     * Empties the queue, marking it taken by {@code token}, into {@code now}; {@value #LATE_MILLIS}
     * ms later what came since goes to {@code late} and the entry goes.
     */
    private CompletableFuture<Void> collect(String id, String token, boolean keepPacketIds,
                                            Consumer<List<HeldMessage>> now, Consumer<List<HeldMessage>> late) {
        return queues.submitToKey(id, new ParkedQueueOps.Take(token, System.currentTimeMillis()))
                .thenAccept(entries -> {
                    taking.incrementAndGet();
                    timer.schedule(() -> queues.submitToKey(id, new ParkedQueueOps.Drain(token))
                            .thenCombine(headers.submitToKey(id, new ParkedHeaderOps.RemoveOnline(me, true)), (l, v) -> l)
                            .whenComplete((lateEntries, f) -> {
                                if (f != null) {
                                    LOG.warn("Client {}: messages parked late could not be collected ({}).", id,
                                            f.toString());
                                    lateEntries = new ArrayList<>();
                                }
                                // Those that reached this node by route too are here already.
                                lateEntries.removeIf(e -> forwardedWhileTaking.contains(e.origin));
                                if (taking.decrementAndGet() == 0) {
                                    forwardedWhileTaking.clear();
                                }
                                late.accept(held(lateEntries, false));
                            }), LATE_MILLIS, TimeUnit.MILLISECONDS);
                    now.accept(held(entries, keepPacketIds));
                }).toCompletableFuture();
    }

    private static List<HeldMessage> held(List<ParkedEntry> entries, boolean keepPacketIds) {
        List<HeldMessage> held = new ArrayList<>(entries.size());
        for (ParkedEntry e : entries) {
            held.add(e.held(keepPacketIds));
        }
        return held;
    }

    private static void release(List<HeldMessage> messages) {
        messages.forEach(h -> h.message().release());
    }

    // ---- every node's targets -------------------------------------------------------------

    @Override
    public void entryAdded(EntryEvent<String, byte[]> e) {
        parked(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> e) {
        parked(e.getKey(), e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> e) {
        unparked(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> e) {
        unparked(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> e) {
        unparked(e.getKey());
    }

    private void parked(String clientId, byte[] header) {
        if (header == null) {
            return;
        }
        ParkedHeader h = ParkedHeader.decode(header, PREFIX + clientId);
        // An online copy is written only where there was none or the same node's (never over a
        // parked one, which a take removes first): no target to drop. Ignoring it also keeps the
        // target the parking node attached itself when this event comes late.
        if (h.taking() && me.equals(h.onlineAt())) {
            unparked(clientId); // taken here: this node's own publishers reach the resumed session
        } else if (h.routed()) {
            attach(clientId, h.subscriptions());
        }
    }

    /** The session's target here, with these subscriptions in the tree (attached before it is matched). */
    private synchronized ParkedTarget attach(String clientId, List<Subscriber> subs) {
        ParkedTarget old = targets.get(clientId);
        if (old != null && old.subscriptions.equals(subs)) {
            return old;
        }
        ParkedTarget t = new ParkedTarget(clientId, subs, this, queues);
        broker.attach(t);
        if (old != null) {
            old.subscriptions.forEach(s -> broker.tree().unsubscribe(s.clientId(), s.shareGroup(), s.filter()));
        }
        subs.forEach(broker.tree()::subscribe);
        targets.put(clientId, t);
        return t;
    }

    private synchronized void unparked(String clientId) {
        ParkedTarget t = targets.remove(clientId);
        if (t != null) {
            t.subscriptions.forEach(s -> broker.tree().unsubscribe(s.clientId(), s.shareGroup(), s.filter()));
            broker.detach(t);
        }
    }

    /** Parked sessions this node routes to, for the console and $SYS. */
    int count() {
        return targets.size();
    }

    // ---- expiry ---------------------------------------------------------------------------

    /** On the timer: the entries this node owns that expired, or that no session stands behind. */
    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            Set<String> alive = nodes.get();
            for (String id : headers.localKeySet()) {
                byte[] h = headers.get(id);
                ParkedHeader header = h == null ? null : ParkedHeader.decode(h, id);
                if (header == null) {
                    continue;
                }
                if (header.onlineAt() != null && !alive.contains(header.onlineAt())) {
                    if (headers.executeOnKey(id, new ParkedHeaderOps.ParkIfGone(alive, now))) {
                        LOG.info("Client {}'s session was online at node {}, which left: it is parked in the cluster.",
                                id, header.onlineAt());
                    }
                } else if (header.expired(now, Session.NEVER) && headers.remove(id, h)) {
                    queues.delete(id);
                    LOG.info("Client {} session expired (parked in the cluster).", id);
                }
            }
            for (String id : queues.localKeySet()) {
                queues.executeOnKey(id, new ParkedQueueOps.Sweep(now - STALE_MILLIS, headers.containsKey(id)));
            }
        } catch (RuntimeException e) {
            LOG.debug("Parked sessions: sweep skipped ({}).", e.toString());
        }
    }
}
