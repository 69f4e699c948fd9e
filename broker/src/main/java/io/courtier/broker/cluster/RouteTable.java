package io.courtier.broker.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.TopicTree;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Which nodes have subscribers for which filters: a Hazelcast {@code ReplicatedMap} (every node
 * holds all of it and reads it locally) from route (node, share group, filter) to the highest QoS
 * among that node's subscriptions on it. Each node writes only its own routes, summed from its
 * topic tree; it reads everyone else's into its tree as subscriptions of the peer's pseudo client
 * ({@value #PSEUDO_PREFIX}NODE), whose delivery target forwards to that node. The router's one
 * delivery per client then sends a message once per node, and only to nodes with a matching
 * subscriber; a shared subscription with members on two nodes becomes a group whose members
 * include each remote node, so its round robin spans the cluster.
 */
final class RouteTable implements TopicTree.Listener, EntryListener<String, Integer> {

    static final String MAP = "courtier.routes";
    /** Client ids of peers as delivery targets. MQTT clients may not take them (ConnectHandler). */
    static final String PSEUDO_PREFIX = io.courtier.broker.routing.Router.PEER_PREFIX;
    /** Separates a route key's parts: U+0000 cannot occur in an MQTT string [MQTT-1.5.4-2]. */
    private static final char SEP = '\u0000';

    private final String me;
    private final ReplicatedMap<String, Integer> routes;
    private final TopicTree tree;
    /** Map writes leave the tree's lock and keep their order on this one thread. */
    private final Executor writer;
    /** This node's routes: key → subscriptions per QoS. Guarded by the tree (the listener runs under its lock). */
    private final Map<String, int[]> local = new HashMap<>();
    /** Routes to peers this node added before the peer's own ({@link #provisional}). */
    private final Set<String> provisional = ConcurrentHashMap.newKeySet();

    RouteTable(String me, ReplicatedMap<String, Integer> routes, TopicTree tree, Executor writer) {
        this.me = me;
        this.routes = routes;
        this.tree = tree;
        this.writer = writer;
    }

    /** Hears the peers' routes, drops this node's routes of an earlier run, then publishes its own. */
    void start() {
        routes.addEntryListener(this);
        for (String key : routes.keySet()) {
            if (nodeOf(key).equals(me)) {
                routes.remove(key);
            }
        }
        for (Map.Entry<String, Integer> e : routes.entrySet()) {
            peerRoute(e.getKey(), e.getValue());
        }
        tree.listen(this);
    }

    static boolean isPeer(String clientId) {
        return clientId.startsWith(PSEUDO_PREFIX);
    }

    static String nodeOfPeer(String clientId) {
        return clientId.substring(PSEUDO_PREFIX.length());
    }

    // This node's subscriptions, under the tree's lock.

    @Override
    public void added(Subscriber s) {
        if (isPeer(s.clientId())) {
            return;
        }
        String key = key(me, s.shareGroup(), s.filter());
        int[] perQos = local.computeIfAbsent(key, k -> new int[3]);
        int before = max(perQos);
        perQos[s.qos()]++;
        int after = max(perQos);
        if (after != before) {
            writer.execute(() -> routes.put(key, after));
        }
    }

    @Override
    public void removed(Subscriber s) {
        if (isPeer(s.clientId())) {
            return;
        }
        String key = key(me, s.shareGroup(), s.filter());
        int[] perQos = local.get(key);
        if (perQos == null) {
            return;
        }
        int before = max(perQos);
        perQos[s.qos()]--;
        int after = max(perQos);
        if (after < 0) {
            local.remove(key);
            writer.execute(() -> routes.remove(key));
        } else if (after != before) {
            writer.execute(() -> routes.put(key, after));
        }
    }

    /** Writes every route of this node again: after a partition heals, the merged map may lack some. */
    void republish() {
        Map<String, Integer> mine = new HashMap<>();
        synchronized (tree) {
            local.forEach((k, v) -> mine.put(k, max(v)));
        }
        writer.execute(() -> mine.forEach(routes::put));
    }

    /**
     * Reads every peer's routes from the map into the tree again. After a partition heals the
     * nodes of the side that merged hold the merged map without having heard its entries.
     */
    void converge() {
        converge(routes);
    }

    /** As {@link #converge()}, from a copy of the map another node holds ({@link MapsSnapshot}). */
    void converge(Map<String, Integer> cluster) {
        for (Map.Entry<String, Integer> e : cluster.entrySet()) {
            peerRoute(e.getKey(), e.getValue());
        }
        restoreOwn(cluster);
    }

    /**
     * Writes again those of this node's routes that the cluster's map lacks or holds otherwise: a
     * merge after a split can land after this node republished them (seen on a loaded machine as a
     * subscriber of the merged node that no longer got other nodes' messages).
     */
    private void restoreOwn(Map<String, Integer> cluster) {
        Map<String, Integer> mine = new HashMap<>();
        synchronized (tree) {
            local.forEach((k, v) -> mine.put(k, max(v)));
        }
        mine.forEach((key, qos) -> {
            if (!qos.equals(cluster.get(key))) {
                writer.execute(() -> routes.put(key, qos));
            }
        });
    }

    /**
     * A parked session with these subscriptions moved to {@code node}: they route there now,
     * before that node's own routes for them reach this one (they take their place when they do).
     * Those the node never publishes (its client unsubscribed at once) stay until it leaves: what
     * they forward there reaches nobody.
     */
    void provisional(String node, List<Subscriber> subscriptions) {
        for (Subscriber s : subscriptions) {
            String key = key(node, s.shareGroup(), s.filter());
            if (!routes.containsKey(key) && provisional.add(key)) {
                tree.subscribe(new Subscriber(PSEUDO_PREFIX + node, s.shareGroup(), s.filter(), s.qos(), false, true,
                        0, 0));
            }
        }
    }

    /** A node left: its routes go (written by the oldest node left, read by all). */
    void nodeLeft(String node, boolean oldest) {
        for (String key : provisional) {
            if (nodeOf(key).equals(node) && provisional.remove(key)) {
                dropPeerRoute(key);
            }
        }
        for (String key : routes.keySet()) {
            if (nodeOf(key).equals(node)) {
                dropPeerRoute(key);
                if (oldest) {
                    writer.execute(() -> routes.remove(key));
                }
            }
        }
    }

    private static int max(int[] perQos) {
        for (int q = 2; q >= 0; q--) {
            if (perQos[q] > 0) {
                return q;
            }
        }
        return -1;
    }

    // The peers' routes, from the replicated map's events.

    @Override
    public void entryAdded(EntryEvent<String, Integer> e) {
        peerRoute(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, Integer> e) {
        peerRoute(e.getKey(), e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Integer> e) {
        dropPeerRoute(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, Integer> e) {
        dropPeerRoute(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, Integer> e) {
        dropPeerRoute(e.getKey());
    }

    @Override
    public void mapCleared(MapEvent e) {
    }

    @Override
    public void mapEvicted(MapEvent e) {
    }

    private void peerRoute(String key, Integer qos) {
        String[] parts = parts(key);
        if (parts[0].equals(me) || qos == null) {
            return;
        }
        provisional.remove(key); // the peer's own route from now on
        String group = parts[1].isEmpty() ? null : parts[1];
        // Retain As Published: the peer's own subscribers decide what RETAIN they see.
        tree.subscribe(new Subscriber(PSEUDO_PREFIX + parts[0], group, parts[2], qos, false, true, 0, 0));
    }

    private void dropPeerRoute(String key) {
        String[] parts = parts(key);
        if (parts[0].equals(me)) {
            return;
        }
        tree.unsubscribe(PSEUDO_PREFIX + parts[0], parts[1].isEmpty() ? null : parts[1], parts[2]);
    }

    static String key(String node, String group, String filter) {
        return node + SEP + (group == null ? "" : group) + SEP + filter;
    }

    private static String nodeOf(String key) {
        return key.substring(0, key.indexOf(SEP));
    }

    private static String[] parts(String key) {
        int a = key.indexOf(SEP);
        int b = key.indexOf(SEP, a + 1);
        return new String[] {key.substring(0, a), key.substring(a + 1, b), key.substring(b + 1)};
    }
}
