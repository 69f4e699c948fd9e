package io.courtier.broker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.courtier.broker.config.ClusterConfig;
import io.courtier.broker.model.Message;
import io.courtier.broker.persistence.codec.StoredMessage;
import io.courtier.broker.session.ClientPresence;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as an embedded Hazelcast member: membership and failure detection are Hazelcast's;
 * on them sit the route table ({@link RouteTable}), one delivery target per peer
 * ({@link RemoteNode}), this node's inbox topic, the cluster-wide retained set
 * ({@link RetainedSync}) and the client table ({@link ClientTable}). Logs a line when a node
 * joins, leaves or the cluster heals from a split.
 */
final class HazelcastCluster implements Cluster, MembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    /** When, after a node joins or merges in, each node compares its routes and retained set with the merged maps. */
    private static final int[] CONVERGE_AFTER_SECONDS = {3, 15, 40};
    /** When a node that merged back after a split compares them with the oldest node's copies. */
    private static final int[] MERGED_CONVERGE_AFTER_SECONDS = {1, 5, 20, 40};
    /** Hazelcast's executor service on which {@link MapsSnapshot} runs. */
    private static final String SNAPSHOTS = "courtier.snapshots";

    private final String me;
    private final HazelcastInstance hz;
    private final ClusterBroker broker;
    private final ClusterCounters counters = new ClusterCounters();
    /** Every write to a Hazelcast structure, off the event loops and the tree's lock, in order. */
    private final ScheduledExecutorService writer;
    private final RouteTable routes;
    private final RetainedSync retained;
    private final ClientTable clients;
    private final InboundPeers inbound;
    /** The links that carry forwarded messages (listening already when Hazelcast starts). */
    private final PeerLinks links;
    private final ParkedSessions parked;
    private final ClientPresence presence;
    /** Parked sessions' retries, late collections and sweeps. */
    private final ScheduledExecutorService timer;
    /** The peers attached to the router, by node name. */
    private final Map<String, RemoteNode> peers = new ConcurrentHashMap<>();
    /** Between Hazelcast's MERGING and MERGED: this node is merging back after a split. */
    private volatile boolean merging;

    private HazelcastCluster(String me, HazelcastInstance hz, ClusterBroker broker, ScheduledExecutorService writer,
                             PeerLinks links, ScheduledExecutorService timer) {
        this.me = me;
        this.links = links;
        this.hz = hz;
        this.broker = broker;
        this.writer = writer;
        this.routes = new RouteTable(me, hz.getReplicatedMap(RouteTable.MAP), broker.tree(), writer);
        this.retained = new RetainedSync(hz.getReplicatedMap(RetainedSync.MAP), broker.retained(), writer);
        this.clients = new ClientTable(me, hz.getMap(HazelcastSettings.CLIENTS), broker, writer, counters);
        this.inbound = new InboundPeers(broker, broker.tunables());
        this.timer = timer;
        this.parked = new ParkedSessions(me, hz.getMap(ParkedSessions.HEADERS), hz.getMap(ParkedSessions.QUEUES),
                hz.getMap(ParkedSessions.ENDED), broker, clients, this::nodeNames, timer, writer, routes, this::sendTo,
                new ParkedDisk(broker.store()));
        this.presence = new ClusterPresence(clients, parked);
    }

    private Set<String> nodeNames() {
        Set<String> names = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            names.add(nodeOf(m));
        }
        return names;
    }

    static HazelcastCluster start(ClusterConfig config, ClusterBroker broker) {
        String me = NodeName.of(config);
        LOG.info("Cluster {}: starting node {} on port {}{}.", config.name(), me, config.port(),
                config.kubernetesService() != null ? ", discovering peers through " + config.kubernetesService()
                        : config.members().isEmpty() ? "" : ", joining through " + config.members());
        // The message links listen before this node joins, so that its peers reach them at once.
        HazelcastCluster[] self = new HazelcastCluster[1];
        PeerLinks links = new PeerLinks(config.name(), me, broker.loops(),
                (node, address) -> self[0] != null && self[0].isMemberAt(node, address),
                (bytes, ack) -> self[0].received(bytes, ack), broker.tunables().peerLinkDelay());
        links.listen(config.address(), config.port() + PeerLinks.PORT_OFFSET);
        HazelcastInstance hz;
        try {
            com.hazelcast.config.Config settings = HazelcastSettings.of(config, me);
            ParkedSessions.configure(settings, config.replicas());
            hz = Hazelcast.newHazelcastInstance(settings);
        } catch (RuntimeException e) {
            links.close();
            throw e;
        }
        ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "courtier-cluster");
            t.setDaemon(true);
            return t;
        });
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a late look at the retained map
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "courtier-cluster-timer");
            t.setDaemon(true);
            return t;
        });
        HazelcastCluster c = new HazelcastCluster(me, hz, broker, writer, links, timer);
        self[0] = c;
        try {
            c.open();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void open() {
        for (Member m : hz.getCluster().getMembers()) {
            String node = nodeOf(m);
            if (!m.localMember() && node.equals(me)) {
                throw new IllegalStateException("Cluster node name " + me + " is already taken by the node at "
                        + m.getAddress() + ": give each node its own cluster_node_name.");
            }
        }
        hz.getCluster().addMembershipListener(this);
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.localMember()) {
                peerUp(m);
            }
        }
        routes.start();
        retained.start();
        clients.start();
        parked.start();
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGING) {
                merging = true;
            } else if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                LOG.info("Cluster: this node merged back into the cluster after a split; republishing its routes "
                        + "and clients.");
                routes.republish();
                clients.republish();
                timer.execute(parked::reseed); // what this node kept on disk, into the merged cluster
                convergeWithOldest();
                merging = false;
            }
        });
        LOG.info("Cluster: node {} is up, {} node(s): {}.", me, hz.getCluster().getMembers().size(), names());
    }

    @Override
    public ClientPresence presence() {
        return presence;
    }

    /** A frame a peer wrote on its link, on the event loop reading that link. */
    private void received(byte[] bytes, LongConsumer ack) {
        if (HandoverFrames.isHandover(bytes)) {
            parked.received(HandoverFrames.decode(bytes));
            return;
        }
        counters.received.increment();
        Forwarded f = Forwarded.decode(bytes);
        StoredMessage s = f.message();
        Message m = s.toMessage();
        m.clusterOrigin(f.origin());
        try {
            inbound.received(f, m, parked.refusing(f.origin(), m.topic()), ack);
        } finally {
            m.release();
        }
    }

    /** Writes a frame on this node's link to {@code node} (nothing if it is not a member). */
    private void sendTo(String node, byte[] frame) {
        RemoteNode peer = peers.get(node);
        if (peer != null) {
            peer.send(frame);
        }
    }

    /** Whether {@code node} is a member of this cluster now, at {@code address}. */
    private boolean isMemberAt(String node, InetAddress address) {
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.localMember() && nodeOf(m).equals(node) && m.getSocketAddress().getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void memberAdded(MembershipEvent e) {
        String node = nodeOf(e.getMember());
        LOG.info("Cluster: node {} joined from {}; {} node(s): {}.", node, e.getMember().getAddress(),
                e.getMembers().size(), names());
        peerUp(e.getMember());
        converge();
    }

    /**
     * After a node joins (or this one merged back after a split), Hazelcast merges the replicated
     * maps without telling every node's listeners of what the merge brought: each node then reads
     * the peers' routes into its tree again and compares its own retained set with the merged map
     * (newest wins, as in {@link NewestRetainedWins}), at {@link #CONVERGE_AFTER_SECONDS}.
     */
    private void converge() {
        if (merging) {
            return; // this node is the one merging back: convergeWithOldest
        }
        for (int seconds : CONVERGE_AFTER_SECONDS) {
            writer.schedule(() -> {
                try {
                    routes.converge();
                    retained.converge();
                } catch (RuntimeException e) {
                    LOG.warn("Cluster: could not compare this node's routes and retained messages with the "
                            + "cluster's: {}", e.toString());
                }
            }, seconds, TimeUnit.SECONDS);
        }
    }

    /**
     * This node merged back after a split: its copies of the replicated maps were emptied and fill
     * again only by Hazelcast's periodic re-synchronisation, so it compares its tree and retained
     * set with the oldest node's copies ({@link MapsSnapshot}) instead, at once and once more a
     * little later for what was still being merged.
     */
    private void convergeWithOldest() {
        for (int seconds : MERGED_CONVERGE_AFTER_SECONDS) {
            writer.schedule(() -> {
                Member oldest = null;
                for (Member m : hz.getCluster().getMembers()) {
                    if (!m.localMember()) {
                        oldest = m;
                        break;
                    }
                }
                if (oldest == null) {
                    return;
                }
                try {
                    MapsSnapshot.Maps maps = hz.getExecutorService(SNAPSHOTS)
                            .submitToMember(new MapsSnapshot(), oldest).get(30, TimeUnit.SECONDS);
                    routes.converge(maps.routes());
                    retained.converge(maps.retained());
                } catch (Exception e) {
                    LOG.warn("Cluster: could not compare this node's routes and retained messages with node {}'s: {}",
                            nodeOf(oldest), e.toString());
                }
            }, seconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void memberRemoved(MembershipEvent e) {
        String node = nodeOf(e.getMember());
        LOG.warn("Cluster: node {} at {} left or stopped answering; {} node(s): {}.", node,
                e.getMember().getAddress(), e.getMembers().size(), names());
        RemoteNode peer = peers.remove(node);
        if (peer != null) {
            broker.detach(peer);
            peer.close();
        }
        inbound.forget(node);
        parked.nodeLeft(node);
        boolean oldest = hz.getCluster().getMembers().iterator().next().localMember();
        routes.nodeLeft(node, oldest);
        clients.nodeLeft(node, oldest);
    }

    private void peerUp(Member m) {
        String node = nodeOf(m);
        String host = m.getSocketAddress().getAddress().getHostAddress();
        String port = m.getAttribute(HazelcastSettings.LINK_PORT_ATTRIBUTE);
        int linkPort = port != null ? Integer.parseInt(port) : m.getAddress().getPort() + PeerLinks.PORT_OFFSET;
        RemoteNode peer = new RemoteNode(me, node, counters, broker.tunables(),
                acked -> links.connect(node, host, linkPort, acked));
        RemoteNode old = peers.put(node, peer);
        if (old != null) {
            broker.detach(old);
            old.close();
        }
        inbound.forget(node);
        broker.attach(peer);
    }

    private static String nodeOf(Member m) {
        String name = m.getAttribute(HazelcastSettings.NODE_ATTRIBUTE);
        return name != null ? name : m.getAddress().toString();
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            names.add(nodeOf(m));
        }
        return String.join(", ", names);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String nodeName() {
        return me;
    }

    @Override
    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            nodes.add(new Node(nodeOf(m), m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                    m.localMember()));
        }
        return nodes;
    }

    @Override
    public Stats stats() {
        return new Stats(counters.forwarded.sum(), counters.received.sum(), counters.willsPublished.sum(),
                counters.takenOver.sum(), parked.count());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        peers.values().forEach(RemoteNode::close);
        links.close();
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hz.shutdown();
    }
}
