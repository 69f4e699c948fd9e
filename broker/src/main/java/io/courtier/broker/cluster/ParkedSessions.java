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
import io.courtier.broker.routing.TopicMatcher;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
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
 * marked taken by that node, and the queue emptied into a session there and closed. Every other
 * node, when it hears of the take, sends there whatever its parked target still gets; an append
 * the closed queue refuses goes there too. Once the taking node has the session in its tree and
 * says so ({@link HandoverFrames#READY}), each node routes the session's subscriptions there (until
 * that node's own routes reach it), drops its parked target, and says so on its link
 * ({@link HandoverFrames#RELEASED}); once every node has, the taking node ends the
 * {@link Handover}, in which each message reaches the session once by its origin. No timer decides
 * where a message goes. Each node sweeps the entries it owns: expired sessions, and queues no
 * session stands behind any more.
 */
final class ParkedSessions implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
        EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]>,
        EntryEvictedListener<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** Parked sessions' subscriptions and expiry, by client id ({@link ParkedHeader}). */
    static final String HEADERS = "courtier.parked";
    /** Parked sessions' messages, by client id ({@link ParkedQueue}). */
    static final String QUEUES = "courtier.parked.queues";
    /**
     * When a client's persistent session last ended in the cluster (a clean start, or its end at
     * a node), by client id, until it has a session again: a share of it a node kept on disk, or
     * restored from its store, while it was down does not come back. Kept {@value #ENDED_DAYS} days.
     */
    static final String ENDED = "courtier.parked.ended";
    static final int ENDED_DAYS = 7;
    /** Client ids of parked sessions as delivery targets: under the peers' prefix, which clients may not take. */
    static final String PREFIX = Router.PEER_PREFIX + "parked/";
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
    private final IMap<String, Long> ended;
    private final ClusterBroker broker;
    private final ClientTable clients;
    private final Supplier<Set<String>> nodes;
    private final ScheduledExecutorService timer;
    /** The cluster room's writer thread: an online session's copies keep their order. */
    private final Executor writer;
    private final Map<String, ParkedTarget> targets = new ConcurrentHashMap<>();
    /** Sessions this node took while the other nodes let go of their parked copies. */
    private final Map<String, Handover> handovers = new ConcurrentHashMap<>();
    /** Sessions taken by another node whose parked copy this node let go of: client id → that node. */
    private final Map<String, String> movedAway = new ConcurrentHashMap<>();
    /** Writes a frame on this node's link to a node. */
    private final BiConsumer<String, byte[]> toNode;
    private final RouteTable routes;
    /** This node's share of the parked sessions on its disk (persistence true), for a restart of the whole cluster. */
    private final ParkedDisk disk;

    ParkedSessions(String me, IMap<String, byte[]> headers, IMap<String, ParkedQueue> queues, IMap<String, Long> ended,
                   ClusterBroker broker, ClientTable clients, Supplier<Set<String>> nodes,
                   ScheduledExecutorService timer, Executor writer, RouteTable routes,
                   BiConsumer<String, byte[]> toNode, ParkedDisk disk) {
        this.ended = ended;
        this.disk = disk;
        this.writer = writer;
        this.routes = routes;
        this.toNode = toNode;
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
        config.addMapConfig(new MapConfig(ENDED).setBackupCount(replicas)
                .setTimeToLiveSeconds((int) TimeUnit.DAYS.toSeconds(ENDED_DAYS)));
        config.getSerializationConfig().addDataSerializableFactory(ParkedQueue.FACTORY_ID, new ParkedQueue.Factory());
    }

    /**
     * Hears parked sessions come and go, takes those parked already, puts back what this node
     * kept on disk that the cluster lacks, and sweeps every second.
     */
    void start() {
        headers.addEntryListener(this, true);
        for (Map.Entry<String, byte[]> e : headers.entrySet()) {
            parked(e.getKey(), e.getValue());
        }
        timer.execute(this::reseed);
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A peer forwarded a message here (its origin and topic): the sessions this node is taking
     * over that have it already, by another path, and must not get it again (null: none). The
     * others note it, so that it does not reach them again by another path either.
     */
    Set<String> refusing(String origin, String topic) {
        if (handovers.isEmpty() || origin == null) {
            return null;
        }
        Set<String> refused = null;
        for (Handover h : handovers.values()) {
            if (h.open() && h.matches(topic) && !h.firstTime(origin)) {
                if (refused == null) {
                    refused = new HashSet<>();
                }
                refused.add(h.clientId);
            }
        }
        return refused;
    }

    int maxQueued() {
        return broker.maxQueuedMessages();
    }

    long maxQueuedBytes() {
        return broker.maxQueuedBytes();
    }

    boolean queueQos0() {
        return broker.queueQos0Messages();
    }

    /** Messages a parked queue dropped for its limits, or could not take: counted as a full queue's are. */
    void dropped(int count) {
        if (count > 0) {
            broker.dropped(count);
        }
    }

    void later(Runnable task, long delay, TimeUnit unit) {
        timer.schedule(task, delay, unit);
    }

    String origin(Message m) {
        return Origins.of(me, m);
    }

    /** A message for a parked session that {@code node} took: sent there, on this node's link to it. */
    void redirect(String node, String clientId, ParkedEntry e) {
        if (me.equals(node)) {
            redirected(clientId, e);
        } else {
            toNode.accept(node, HandoverFrames.redirect(me, clientId, e));
        }
    }

    /** A frame a peer wrote about a session that moved here (on the event loop reading its link). */
    void received(HandoverFrames.Frame f) {
        if (f.kind() == HandoverFrames.RELEASED) {
            Handover h = handovers.get(f.clientId());
            if (h != null) {
                h.released(f.from(), f.parkedAt());
            }
        } else if (f.kind() == HandoverFrames.READY) {
            ready(f.clientId(), f.from(), f.parkedAt());
        } else {
            redirected(f.clientId(), f.entry());
        }
    }

    /** A message sent here for a session this node took. */
    private void redirected(String clientId, ParkedEntry e) {
        HeldMessage h = e.held(false);
        ParkedTarget parkedAgain = targets.get(clientId);
        Handover taking = handovers.get(clientId);
        if (parkedAgain != null) { // its client went again: queued with the rest
            parkedAgain.offerWhenAllowed(h.message(), h.qos(), h.retainFlag(), h.subscriptionIds(), null);
            h.message().release();
        } else if (taking != null) {
            taking.deliver(h);
        } else {
            deliverIfSubscribed(clientId, h);
        }
    }

    /**
     * A message sent here for a session whose move is over (a node that heard of it late): the
     * session here gets it if it still subscribes to its topic (not one that a clean start made).
     */
    private void deliverIfSubscribed(String clientId, HeldMessage h) {
        Session s = broker.session(clientId);
        if (s == null) {
            LOG.debug("Client {}: a message sent here for its session found none.", clientId);
            h.message().release();
            return;
        }
        s.execute(() -> {
            for (Subscriber sub : s.subscriptions()) {
                if (sub.shareGroup() == null && TopicMatcher.matches(sub.filter(), h.message().topic())) {
                    s.deliver(h.message(), Math.min(h.qos(), sub.qos()), h.retainFlag(), h.subscriptionIds(), null);
                    break;
                }
            }
            h.message().release();
        });
    }

    /** A node left: it sends nothing more to the sessions this node is taking. */
    void nodeLeft(String node) {
        handovers.values().forEach(h -> h.released(node));
    }

    /**
     * Puts this node's share of parked sessions, as kept on disk ({@link ParkedDisk}), back into
     * the cluster where it lacks them: at start-up, and again when this node merged back after a
     * split (it may have started alone and put them into a cluster of its own). Each share is
     * merged by generation ({@link ParkedHeaderOps.Restore}, {@link ParkedQueue#restore}): the
     * newest parking of a session wins, shares of the same one are merged in order, each message
     * once, and a share the cluster knows a newer state of (taken, online, parked again) is
     * forgotten. An expired one is forgotten too. On the timer thread.
     */
    void reseed() {
        if (!disk.enabled()) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            List<ParkedDisk.Kept> kept = disk.read().get(30, TimeUnit.SECONDS);
            int shares = 0;
            int sessions = 0;
            int messages = 0;
            for (ParkedDisk.Kept k : kept) {
                if (k.header == null) {
                    continue; // a share of messages whose header another node kept: it comes with that one
                }
                shares++;
                Long endedAt = ended.get(k.clientId);
                if (ParkedHeader.decode(k.header, k.clientId).expired(now, Session.NEVER)
                        || endedAt != null && endedAt >= k.generation
                        || !headers.executeOnKey(k.clientId, new ParkedHeaderOps.Restore(k.generation, k.header))
                        || !k.entries.isEmpty() && !queues.executeOnKey(k.clientId,
                                new ParkedQueueOps.Restore(k.entries, now, k.generation))) {
                    disk.forget(k.clientId, k.generation);
                    continue;
                }
                sessions++;
                messages += k.entries.size();
            }
            if (shares > 0) {
                LOG.info("Cluster: this node's disk kept a share of {} parked session(s): {} with {} message(s) are "
                        + "in the cluster, the others were taken, ended or expired since.", shares, sessions,
                        messages);
            }
        } catch (Exception e) {
            LOG.warn("Cluster: could not put back the parked sessions kept on this node's disk ({}).", e.toString());
        }
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
        long at = Origins.tick(); // what it holds goes ahead of anything appended from now on
        // Before what it holds is read: from now on what this node routes for it is appended too.
        attach(id, subs, now, header).takeForwardedFor(FORWARDED_MILLIS);
        List<ParkedEntry> held = new ArrayList<>();
        Set<String> heldOrigins = new HashSet<>();
        s.forEachHeld((m, qos, retainFlag, ids, packetId, pubrelSent) -> {
            ParkedEntry e = new ParkedEntry(origin(m), m, qos, retainFlag, ids, packetId, pubrelSent, at);
            held.add(e);
            heldOrigins.add(e.origin);
        });
        queues.submitToKey(id, new ParkedQueueOps.Park(held, now))
                .thenCompose(v -> headers.setAsync(id, header))
                .toCompletableFuture()
                .thenCombine(disk.keep(id, now, header, held), (a, b) -> null)
                .whenComplete((v, failure) -> s.execute(() -> {
                    if (failure != null) {
                        LOG.warn("Client {}: could not park its session in the cluster ({}); it stays on this node.",
                                id, failure.toString());
                        unparked(id);
                        disk.forget(id, now);
                        keepHere.run();
                    } else if (removeHere.getAsBoolean()) {
                        LOG.info("Client {}'s session is parked in the cluster: {} subscription(s), {} message(s).",
                                id, subs.size(), held.size());
                    } else {
                        // Its client came back here meanwhile: this node takes back what the cluster gathered.
                        takeBack(s, heldOrigins);
                    }
                }));
    }

    /** On the session's loop: its client came back while it was being parked; the session stays here. */
    private void takeBack(Session s, Set<String> held) {
        String id = s.clientId();
        Handover h = prepare(id);
        held.forEach(h::firstTime);
        headers.submitToKey(id, new ParkedHeaderOps.Take(me, nodes.get(), System.currentTimeMillis()))
                .whenComplete((header, failure) -> {
                    if (failure != null || header == null || header == ParkedHeaderOps.WAIT || header.length == 0) {
                        drop(h);
                        return; // another node took it meanwhile
                    }
                    ParkedHeader taken = ParkedHeader.decode(header, id);
                    begin(h, taken.subscriptions(), taken.parkedAt(), false);
                    queues.submitToKey(id, new ParkedQueueOps.Take(me, System.currentTimeMillis()))
                            .whenComplete((entries, f) -> {
                                if (f != null) {
                                    LOG.warn("Client {}: could not take back its messages from the cluster ({}).", id,
                                            f.toString());
                                }
                                for (ParkedEntry e : f == null ? List.<ParkedEntry>of() : entries) {
                                    h.deliver(e.held(false)); // once, and not what the session held itself
                                }
                                s.execute(() -> {
                                    h.resumed(s);
                                    tellReady(h);
                                });
                            });
                });
    }

    /** What became of a session restored from the store at start-up ({@link #parkRestored}). */
    private enum Restored { PARKED, KEPT_HERE, ENDED_ELSEWHERE }

    /**
     * On the session's loop: a session this node restored from its store at start-up goes to the
     * cluster, so that its client resumes it on any node. Where the cluster holds the session
     * parked already (the survivors parked it from its online copy when this node went), the
     * store's messages go ahead of those queued there since, each once; while its client is
     * online at (or being taken by) another node, it stays here as before.
     */
    void parkRestored(Session s, BooleanSupplier removeHere, Runnable keepHere) {
        String id = s.clientId();
        List<Subscriber> subs = List.copyOf(s.subscriptions());
        byte[] ours = ParkedHeader.encode(s.expiryInterval(), System.currentTimeMillis(), subs, null);
        List<ParkedEntry> held = new ArrayList<>();
        Set<String> heldOrigins = new HashSet<>();
        s.forEachHeld((m, qos, retainFlag, ids, packetId, pubrelSent) -> {
            // Places 0, 1, 2...: older than anything queued in the cluster meanwhile.
            ParkedEntry e = new ParkedEntry(origin(m), m, qos, retainFlag, ids, packetId, pubrelSent, held.size());
            held.add(e);
            heldOrigins.add(e.origin);
        });
        ended.getAsync(id).toCompletableFuture().thenCompose(endedAt -> endedAt != null
                ? CompletableFuture.completedFuture(Restored.ENDED_ELSEWHERE)
                : headers.submitToKey(id, new ParkedHeaderOps.ParkRestored(me, nodes.get(), ours)).thenCompose(header -> {
                    if (header == null) {
                        return CompletableFuture.completedFuture(Restored.KEPT_HERE);
                    }
                    long generation = ParkedHeader.decode(header, id).parkedAt();
                    return queues.submitToKey(id, new ParkedQueueOps.Restore(held, System.currentTimeMillis(),
                                    generation)).toCompletableFuture()
                            .thenCombine(disk.keep(id, generation, header, held),
                                    (taken, kept) -> taken ? Restored.PARKED : Restored.KEPT_HERE);
                })).whenComplete((outcome, failure) -> s.execute(() -> {
                    if (failure != null || outcome == Restored.KEPT_HERE) {
                        if (failure != null) {
                            LOG.warn("Client {}: could not park its restored session in the cluster ({}); it stays "
                                    + "on this node.", id, failure.toString());
                        } else {
                            LOG.info("Client {} is online at another node: its session restored here stays here.", id);
                        }
                        keepHere.run();
                    } else if (outcome == Restored.ENDED_ELSEWHERE) {
                        if (removeHere.getAsBoolean()) {
                            LOG.info("Client {} ended its session on another node while this one was down: the "
                                    + "session restored here is dropped.", id);
                        }
                    } else if (removeHere.getAsBoolean()) {
                        LOG.info("Client {}'s restored session is parked in the cluster: {} subscription(s), "
                                + "{} message(s).", id, subs.size(), held.size());
                    } else {
                        // Its client came back here meanwhile: this node takes back what the cluster gathered.
                        takeBack(s, heldOrigins);
                    }
                }));
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
                ended.delete(id); // it has a session again
            }
        });
    }

    /** A persistent session ended here (a clean start, or expiry): its online copy goes. */
    void ended(String clientId) {
        writer.execute(() -> {
            headers.executeOnKey(clientId, new ParkedHeaderOps.RemoveOnline(me, false));
            ended.set(clientId, System.currentTimeMillis());
        });
    }

    // ---- resuming -------------------------------------------------------------------------

    /** See {@code ClientPresence.take}. */
    CompletableFuture<MovedSession> take(String clientId, boolean cleanStart) {
        CompletableFuture<MovedSession> result = new CompletableFuture<>();
        clients.lookup(clientId).whenComplete((value, failure) -> {
            String node = value == null ? null : ClientTable.nodeOf(value);
            boolean parking = value != null && ClientTable.persistentOf(value) && !me.equals(node)
                    && nodes.get().contains(node);
            if (parking) {
                clients.claim(clientId); // that node takes the connection over and parks the session
            }
            attempt(prepare(clientId), cleanStart, parking, System.currentTimeMillis() + PARK_WAIT_MILLIS, result);
        });
        return result;
    }

    private void attempt(Handover h, boolean cleanStart, boolean parking, long deadline,
                         CompletableFuture<MovedSession> result) {
        String id = h.clientId;
        headers.submitToKey(id, new ParkedHeaderOps.Take(me, nodes.get(), System.currentTimeMillis()))
                .whenComplete((header, failure) -> {
            if (failure != null) {
                drop(h);
                result.completeExceptionally(failure);
            } else if (header == null || header == ParkedHeaderOps.WAIT || header.length == 0) {
                boolean wait = header != null || parking;
                if (wait && System.currentTimeMillis() < deadline) {
                    timer.schedule(() -> attempt(h, cleanStart, parking, deadline, result), RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                } else {
                    drop(h);
                    result.complete(null);
                }
            } else if (cleanStart) {
                drop(h);
                discard(id, result);
            } else {
                ParkedHeader taken = ParkedHeader.decode(header, id);
                List<Subscriber> subs = taken.subscriptions();
                begin(h, subs, taken.parkedAt(), true);
                queues.submitToKey(id, new ParkedQueueOps.Take(me, System.currentTimeMillis()))
                        .whenComplete((entries, f) -> {
                            if (f != null) {
                                resumed(id, null);
                                result.completeExceptionally(f);
                            } else {
                                result.complete(new MovedSession(subs, admitted(h, entries, true)));
                            }
                        });
            }
        });
    }

    /** A clean start: the queue is closed and emptied (what comes late is dropped here), and the header goes. */
    private void discard(String id, CompletableFuture<MovedSession> result) {
        ended.setAsync(id, System.currentTimeMillis());
        queues.submitToKey(id, new ParkedQueueOps.Take(me, System.currentTimeMillis()))
                .thenCompose(entries -> headers.submitToKey(id, new ParkedHeaderOps.RemoveOnline(me, true)))
                .whenComplete((v, f) -> {
                    LOG.info("Client {} connected with clean start: its parked session is discarded.", id);
                    result.complete(null);
                });
    }

    /** Before this node takes a session's header: listens for the other nodes letting go of it. */
    private Handover prepare(String id) {
        Handover h = new Handover(id, nodes.get(), this::handedOver);
        Handover old = handovers.put(id, h);
        if (old != null) {
            old.abandon();
        }
        return h;
    }

    /** No session came of it (none parked, a clean start, a failure). */
    private void drop(Handover h) {
        handovers.remove(h.clientId, h);
        h.abandon();
    }

    /**
     * This node took the session: its own parked target goes (what it still gets is sent here),
     * and the session's subscriptions route here at once, to the {@link Handover} until the
     * session is restored ({@code buffer}).
     */
    private void begin(Handover h, List<Subscriber> subs, long parkedAt, boolean buffer) {
        String id = h.clientId;
        h.begin(subs, parkedAt);
        if (buffer) {
            broker.attach(h);
            subs.forEach(broker.tree()::subscribe);
        }
        ParkedTarget mine = targets.get(id);
        unparked(id); // first: what the old target still sends here finds the handover
        CompletableFuture<Void> settled = mine == null ? CompletableFuture.completedFuture(null) : mine.moveTo(me);
        settled.thenRun(() -> broker.afterRouted(() -> h.released(me)));
    }

    /** What the queue held, in order, as the session will hold it: each message once. */
    private static List<HeldMessage> admitted(Handover h, List<ParkedEntry> entries, boolean keepPacketIds) {
        List<HeldMessage> held = new ArrayList<>(entries.size());
        for (ParkedEntry e : entries) {
            if (h.firstTime(e.origin)) {
                held.add(e.held(keepPacketIds));
            }
        }
        return held;
    }

    /** See {@code ClientPresence.resumed}: on the session's loop. */
    void resumed(String clientId, Session s) {
        Handover h = handovers.get(clientId);
        if (h == null) {
            return;
        }
        broker.detach(h); // the session is registered: the router finds it first from now on
        if (s == null) {
            h.subscriptions.forEach(sub -> broker.tree().unsubscribe(sub.clientId(), sub.shareGroup(), sub.filter()));
            h.abandon();
        } else {
            h.resumed(s);
        }
        tellReady(h);
    }

    /**
     * Every node let go of the parked copy and the session is here: the header goes, and the
     * cluster's copy of the online session takes its place (its subscriptions as they are now).
     */
    private void handedOver(Handover h) {
        String id = h.clientId;
        if (!handovers.remove(id, h)) {
            return; // dropped, or a newer take of the same session
        }
        Session s = h.session();
        LOG.debug("Client {}: every node let go of its parked copy.", id);
        headers.submitToKey(id, new ParkedHeaderOps.RemoveOnline(me, true)).whenComplete((v, f) -> {
            if (s != null) {
                s.execute(() -> {
                    if (s.isConnected()) {
                        online(s);
                    }
                });
            }
        });
    }

    // ---- every node's targets -------------------------------------------------------------

    @Override
    public void entryAdded(EntryEvent<String, byte[]> e) {
        parked(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> e) {
        forgetIfDone(e.getKey(), e.getOldValue(), e.getValue());
        parked(e.getKey(), e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> e) {
        forgetIfDone(e.getKey(), e.getOldValue(), null);
        movedAway.remove(e.getKey());
        unparked(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> e) {
        forgetIfDone(e.getKey(), e.getOldValue(), null);
        movedAway.remove(e.getKey());
        unparked(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> e) {
        forgetIfDone(e.getKey(), e.getOldValue(), null);
        movedAway.remove(e.getKey());
        unparked(e.getKey());
    }

    /**
     * This node's share on disk of a parked generation of the session goes once the cluster is
     * done with it: the session is being taken (the node taking it has its messages), gone
     * (taken, expired, discarded by a clean start), or parked anew (a newer generation).
     */
    private void forgetIfDone(String clientId, byte[] before, byte[] after) {
        if (!disk.enabled() || before == null) {
            return;
        }
        ParkedHeader old = ParkedHeader.decode(before, clientId);
        if (!old.routed()) {
            return; // it was online: no node keeps a share of it
        }
        ParkedHeader now = after == null ? null : ParkedHeader.decode(after, clientId);
        if (now == null || now.taking() || now.parkedAt() != old.parkedAt()) {
            disk.forget(clientId, old.parkedAt());
        }
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
        } else if (h.taking()) {
            heardTaken(clientId, h.onlineAt());
        } else if (h.routed()) {
            movedAway.remove(clientId);
            attach(clientId, h.subscriptions(), h.parkedAt(), header);
        } else {
            movedAway.remove(clientId); // online: the move is over
        }
    }

    /**
     * Another node took the session: what the parked target gets goes there from now on (it
     * stays, so that nothing this node routes for the session falls between the parked copy and
     * that node's routes, until that node says the session is there: {@link #ready}).
     */
    private void heardTaken(String clientId, String node) {
        ParkedTarget t = targets.get(clientId);
        if (t != null) {
            t.moveTo(node);
        }
    }

    /**
     * {@code node} has the session, with its subscriptions in its tree (its
     * {@link HandoverFrames#READY}): they route there from now on (even before that node's own
     * routes reach this one), the parked target goes, and once nothing this node routed can still
     * take the parked way, this node tells that node so, on the same link, behind everything it
     * sent there.
     */
    private void ready(String clientId, String node, long parkedAt) {
        if (node.equals(movedAway.put(clientId, node))) {
            return; // heard already
        }
        ParkedTarget t = targets.get(clientId);
        CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);
        if (t != null) {
            routes.provisional(node, t.subscriptions);
            settled = t.moveTo(node);
            unparked(clientId);
        }
        settled.thenRun(() -> broker.afterRouted(
                () -> toNode.accept(node, HandoverFrames.released(me, clientId, parkedAt))));
    }

    /** This node has the session now (or will not): the other nodes may let go of its parked copy. */
    private void tellReady(Handover h) {
        for (String node : nodes.get()) {
            if (!node.equals(me)) {
                toNode.accept(node, HandoverFrames.ready(me, h.clientId, h.parkedAt()));
            }
        }
    }

    /** The session's target here, with these subscriptions in the tree (attached before it is matched). */
    private synchronized ParkedTarget attach(String clientId, List<Subscriber> subs, long generation, byte[] header) {
        ParkedTarget old = targets.get(clientId);
        if (old != null && old.subscriptions.equals(subs) && old.generation == generation) {
            return old;
        }
        ParkedTarget t = new ParkedTarget(clientId, subs, this, queues, disk, generation, header);
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
                    if (header.taking()) {
                        // Taken by a node that left: what comes next is queued again, not sent there.
                        queues.executeOnKey(id, new ParkedQueueOps.Reopen(header.onlineAt(), now));
                    }
                    if (headers.executeOnKey(id, new ParkedHeaderOps.ParkIfGone(alive, now))) {
                        byte[] parked = headers.get(id);
                        if (parked != null) { // kept here too, for a restart of the whole cluster
                            disk.keep(id, ParkedHeader.decode(parked, id).parkedAt(), parked, List.of());
                        }
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
