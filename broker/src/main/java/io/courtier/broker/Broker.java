package io.courtier.broker;

import io.courtier.broker.cluster.Cluster;
import io.courtier.broker.cluster.ClusterBroker;
import io.courtier.broker.cluster.ClusterSys;
import io.courtier.broker.cluster.Clusters;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.PersistenceSync;
import io.courtier.broker.config.Tunables;
import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.model.Message;
import io.courtier.broker.persistence.MemoryStore;
import io.courtier.broker.persistence.PersistenceFile;
import io.courtier.broker.persistence.RocksDbStore;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.Router;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.security.SecurityRules;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerGauges;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.broker.sys.SysSchedule;
import io.courtier.broker.sys.SysTree;
import io.courtier.broker.transport.EventLoops;
import io.courtier.broker.transport.IoThreads;
import io.courtier.broker.transport.Listeners;
import io.courtier.broker.web.BrokerMetrics;
import io.courtier.broker.web.WebConsole;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads a {@link BrokerConfig}, builds the rooms (DESIGN.md) and wires
 * them. {@link #start} returns once every listener is bound; {@link #close} stops accepting,
 * closes clients and releases everything.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** How long a socket may stay open without sending CONNECT. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;

    private final BrokerConfig config;
    private final String version;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Listeners listeners;
    private final SessionRegistry sessions = new SessionRegistry();
    private final TopicTree tree = new TopicTree();
    private final RetainedStore retained = new RetainedStore();
    private final BrokerStats stats = new BrokerStats();
    private final Store store;
    private final Tunables tunables;
    private final Router router;
    private final Ingest ingest;
    private final BrokerContext context;
    private final SecurityRules security;
    private SysSchedule sysSchedule;
    private final long startNanos = System.nanoTime();
    private BrokerMetrics metrics;
    /** {@link Cluster#NONE} unless cluster_* lines are set: only then does a Hazelcast class load. */
    private Cluster cluster = Cluster.NONE;
    private io.netty.channel.EventLoop clusterLoop;
    private io.courtier.broker.bridge.Bridges bridges;

    private Broker(BrokerConfig config, String version, long connectTimeoutMillis, Store givenStore,
                   Tunables givenTunables, ByteBufAllocator buffers) {
        this.config = config;
        this.version = version;
        int ioThreads = IoThreads.configured(); // a bad -D value stops start-up before anything opens
        this.tunables = givenTunables != null ? givenTunables : Tunables.fromSystemProperties();
        // First: a bad password or ACL file stops start-up.
        this.security = SecurityRules.load(config, stats.loginsRefusedBusy);
        // Then the store: a bad persistence directory fails before any thread starts.
        this.store = givenStore != null ? givenStore : openStore(config, stats, tunables);
        this.acceptors = EventLoops.group(1);
        this.workers = EventLoops.group(ioThreads);
        this.listeners = new Listeners(acceptors, workers, buffers);
        this.router = new Router(tree, sessions, config.upgradeOutgoingQos());
        this.ingest = new Ingest(router, retained, store, config.retainAvailable());
        this.context = new BrokerContext(config, stats, sessions, tree, retained, router, ingest, store, security,
                connectTimeoutMillis, tunables);
        // Dynamic security disconnects the clients whose identity or roles a command changed.
        security.dynamicSecurities().forEach(ds -> ds.onKick(context::kick));
    }

    /** Starts a broker with Mosquitto's default connect timeout. */
    public static Broker start(BrokerConfig config, String version) {
        return start(config, version, DEFAULT_CONNECT_TIMEOUT_MILLIS);
    }

    public static Broker start(BrokerConfig config, String version, long connectTimeoutMillis) {
        return start(config, version, connectTimeoutMillis, null);
    }

    /**
     * Starts a broker on a store built by the caller (tests wrap one to inject disk failures);
     * null builds the one the configuration asks for. The broker closes the store.
     */
    public static Broker start(BrokerConfig config, String version, long connectTimeoutMillis, Store store) {
        return start(config, version, connectTimeoutMillis, store, null);
    }

    /**
     * As above, with the internal limits and timers given (tests shorten or lengthen one); null reads
     * them from {@code -Dcourtier.tunable.*} as a broker started from the command line does.
     */
    public static Broker start(BrokerConfig config, String version, long connectTimeoutMillis, Store store,
                               Tunables tunables) {
        return start(new Broker(config, version, connectTimeoutMillis, store, tunables, PooledByteBufAllocator.DEFAULT));
    }

    /**
     * A broker whose connections take their buffers from a pool of the caller's instead of the
     * shared one: the start-up warm-up's private broker, whose pool (and the memory it grew) goes
     * with it instead of staying in the pool the real broker uses.
     */
    public static Broker start(BrokerConfig config, String version, PooledByteBufAllocator buffers) {
        return start(new Broker(config, version, DEFAULT_CONNECT_TIMEOUT_MILLIS, null, null, buffers));
    }

    private static Broker start(Broker broker) {
        try {
            broker.open();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void open() {
        LOG.info("courtier version {} starting", version);
        if (config.localOnly()) {
            LOG.info("Starting in local only mode. Connections will only be possible from clients running on this machine.");
            LOG.info("Create a configuration file which defines a listener to allow remote access.");
        }
        StateRestorer.Restored restored = StateRestorer.restore(store, sessions, tree, retained,
                SessionLimits.of(config, tunables), stats, workers);
        restored.sessions().forEach(context::restored);
        startSysTree(); // before the listeners open, so the first client already finds $SYS retained
        if (WebConsole.wanted(config.listeners())) {
            metrics = new BrokerMetrics(version, stats, gauges(), sessions, workers);
        }
        publishWills(restored.wills()); // before a client can connect and take its session back
        if (config.cluster().enabled()) {
            // Before the listeners: a client's first subscription already has the peers' routes.
            // Forwarded messages and wills of a dead node's clients are stored (when durable) on
            // one loop, so a peer's messages keep their order here.
            clusterLoop = workers.next();
            cluster = Clusters.start(config.cluster(), clusterSide());
            context.joinedCluster(cluster.presence());
            restored.sessions().forEach(context::parkRestored); // resumable on any node from now on
            if (metrics != null) {
                metrics.cluster(cluster);
            }
        }
        // Bridges take their local sessions back before any client could claim those ids.
        bridges = io.courtier.broker.bridge.Bridges.start(config.bridges(), context, workers);
        context.bridges(bridges::status);
        if (metrics != null) {
            metrics.bridges(config.bridges().stream().map(b -> b.name()).toList(), bridges::status);
        }
        listeners.bindAll(config, context, stats, new WebConsole(context, version, startNanos, metrics, cluster));
        LOG.info("courtier version {} running", version);
    }

    /** What the cluster room may do to this broker. */
    private ClusterBroker clusterSide() {
        return new ClusterBroker() {
            @Override
            public TopicTree tree() {
                return tree;
            }

            @Override
            public RetainedStore retained() {
                return retained;
            }

            @Override
            public void deliverForwarded(Message message, String shareGroup, String shareFilter,
                                         Set<String> refused, Congestion congestion) {
                ingest.publishForwarded(message, new Router.Forwarded(shareGroup, shareFilter, refused), clusterLoop,
                        congestion);
            }

            @Override
            public Tunables tunables() {
                return tunables;
            }

            @Override
            public int maxQueuedMessages() {
                return config.maxQueuedMessages();
            }

            @Override
            public long maxQueuedBytes() {
                return config.maxQueuedBytes();
            }

            @Override
            public boolean queueQos0Messages() {
                return config.queueQos0Messages();
            }

            @Override
            public io.courtier.broker.session.Session session(String clientId) {
                return sessions.get(clientId);
            }

            @Override
            public void dropped(int count) {
                stats.publishDropped.add(count);
            }

            @Override
            public void afterRouted(Runnable then) {
                Broker.this.afterRouted(then);
            }

            @Override
            public Store store() {
                return store;
            }

            @Override
            public void publishWill(Message will) {
                // Routed on the cluster's loop, not the caller's thread: afterRouted covers it.
                will.retainRef();
                clusterLoop.execute(() -> {
                    try {
                        ingest.publishWill(will, clusterLoop);
                    } finally {
                        will.release();
                    }
                });
            }

            @Override
            public void takenOver(String clientId) {
                context.takenOverElsewhere(clientId);
            }

            @Override
            public void attach(DeliveryTarget peer) {
                router.attachRemote(peer);
            }

            @Override
            public void detach(DeliveryTarget peer) {
                router.detachRemote(peer);
            }

            @Override
            public Loops loops() {
                return new Loops(workers, io.courtier.broker.transport.EventLoops.serverChannel(),
                        io.courtier.broker.transport.EventLoops.socketChannel());
            }
        };
    }

    /**
     * Runs {@code then} once every message routed before the call reached its targets: a task on
     * each event loop (a message is routed within one task of its loop), and with persistence a
     * store write from each loop, whose callback runs after those of the writes before it from that
     * loop (the dispatches of messages waiting for the disk).
     */
    private void afterRouted(Runnable then) {
        List<io.netty.util.concurrent.EventExecutor> loops = new ArrayList<>();
        workers.forEach(loops::add);
        AtomicInteger left = new AtomicInteger(loops.size());
        Runnable one = () -> {
            if (left.decrementAndGet() == 0) {
                then.run();
            }
        };
        for (io.netty.util.concurrent.EventExecutor loop : loops) {
            loop.execute(() -> {
                if (store.durable()) {
                    store.submit(batch -> { }, loop, failure -> one.run());
                } else {
                    one.run();
                }
            });
        }
    }

    /** This broker as a cluster node ({@link Cluster#NONE} on a single broker). */
    public Cluster cluster() {
        return cluster;
    }

    private static Store openStore(BrokerConfig config, BrokerStats stats, Tunables tunables) {
        if (!config.persistence()) {
            return new MemoryStore();
        }
        Path file = config.persistenceLocation().resolve(config.persistenceFile()).toAbsolutePath();
        RocksDbStore.IntervalSync interval = config.persistenceSync() == PersistenceSync.INTERVAL
                ? new RocksDbStore.IntervalSync(config.autosaveInterval(), config.autosaveOnChanges()) : null;
        LOG.info("Persistence file {}, store {} (persistence_sync {}).", file,
                PersistenceFile.storeDirectory(file),
                config.persistenceSync().name().toLowerCase(Locale.ROOT));
        RocksDbStore store = PersistenceFile.open(file, interval, config.persistentClientExpiration(), tunables);
        store.onBatchLatency(stats.storeLatency::record);
        return store;
    }

    /**
     * Wills of clients that were connected when the broker stopped: their connection ended
     * abnormally. An MQTT 5 will with a delay waits for it from the restart, the first moment the
     * broker knows the connection is gone (or until the session expires, if sooner); the client
     * resuming its session within that time cancels it [MQTT-3.1.3-9].
     */
    private void publishWills(List<StateRestorer.PendingWill> wills) {
        for (StateRestorer.PendingWill w : wills) {
            io.courtier.broker.session.Session s = w.session();
            long delay = Math.min(io.courtier.broker.protocol.Wills.delaySeconds(w.will()), s.expiryInterval());
            if (delay > 0) {
                s.execute(() -> s.scheduleWill(delay, () -> publishWill(w, s.loop())));
            } else {
                io.netty.channel.EventLoop loop = workers.next();
                loop.execute(() -> publishWill(w, loop));
            }
        }
    }

    private void publishWill(StateRestorer.PendingWill w, io.netty.channel.EventLoop loop) {
        Message m = io.courtier.broker.protocol.Wills.message(w.will(), w.clientId(), config.maxQos());
        try {
            ingest.publishWill(m, loop);
        } finally {
            m.release();
        }
    }

    private void startSysTree() {
        // sys_interval 0 turns the $SYS tree off entirely, version included, as in Mosquitto.
        SysTree sys = new SysTree(version, stats, gauges(), startNanos);
        sys.also(() -> ClusterSys.values(cluster));
        Runnable publish = () -> sys.publishChanged(System.nanoTime(), ingest::publishSys);
        sysSchedule = new SysSchedule(workers.next(), publish, config.sysInterval());
    }

    private BrokerGauges gauges() {
        return new BrokerGauges() {
            @Override
            public int clientsConnected() {
                return sessions.connectedCount();
            }

            @Override
            public int clientsDisconnected() {
                return sessions.disconnectedCount();
            }

            @Override
            public int clientsMaximum() {
                return sessions.maximumConnected();
            }

            @Override
            public long subscriptionCount() {
                return tree.count();
            }

            @Override
            public long sharedSubscriptionCount() {
                return tree.sharedCount();
            }

            @Override
            public long retainedCount() {
                return retained.size();
            }

            @Override
            public long storedMessageCount() {
                long n = retained.size();
                for (Session s : sessions.all()) {
                    n += s.queuedCount() + s.inflightCount();
                }
                return n;
            }

            @Override
            public long storedMessageBytes() {
                return retained.bytes();
            }
        };
    }

    /** The first listener's bound port (tests bind port 0). */
    public int port() {
        return listeners.boundAddresses().get(0).getPort();
    }

    public List<InetSocketAddress> boundAddresses() {
        return listeners.boundAddresses();
    }

    public BrokerStats stats() {
        return stats;
    }

    /** Sessions by client id, for the console and for tests that wait on a session's state. */
    public SessionRegistry sessions() {
        return sessions;
    }

    /** Where a message enters the broker (the $SYS log topics publish through it). */
    public Ingest ingest() {
        return ingest;
    }

    public BrokerContext context() {
        return context;
    }

    /** The bridges' state, for the console, /metrics and tests. */
    public List<io.courtier.broker.sys.BridgeStatus> bridges() {
        return bridges == null ? List.of() : bridges.status();
    }

    /**
     * SIGHUP: reads the password and ACL files (and TLS certificates) again and applies them; open
     * connections stay, and what they may publish and receive follows the new ACL at once, as in
     * Mosquitto. Returns false (and logs why) when a file cannot be read: the old rules stay.
     */
    public boolean reload() {
        LOG.info("Reloading password and ACL files.");
        listeners.reloadTls();
        try {
            security.reload();
            return true;
        } catch (IllegalStateException e) {
            LOG.error("Reload failed, keeping the previous rules: {}", e.getMessage());
            return false;
        }
    }

    /**
     * SIGHUP with a configuration file: {@code mosquitto.conf} read again ({@code fresh}) is put in
     * force as Mosquitto 2.0 does ({@link io.courtier.broker.config.ConfigReload}): global and
     * security settings change at once for every client, listeners stay; then the password, ACL
     * and TLS files are read again. Returns false (and logs why) when the new file cannot be used:
     * everything in force stays.
     */
    public boolean reload(io.courtier.broker.config.ParsedConfig fresh) {
        LOG.info("Reloading config.");
        io.courtier.broker.config.ParsedConfig next;
        try {
            next = io.courtier.broker.config.ConfigReload.apply(context.config(), fresh);
        } catch (io.courtier.broker.config.ConfigException e) {
            LOG.error("Error: {} The configuration in force is kept.", e.getMessage());
            return false;
        }
        next.warnings().forEach(LOG::warn);
        listeners.reloadTls();
        try {
            security.reload(next.config());
        } catch (IllegalStateException e) {
            LOG.error("Reload failed, keeping the previous configuration: {}", e.getMessage());
            return false;
        }
        context.reconfigure(next.config());
        sysSchedule.reschedule(next.config().sysInterval());
        return true;
    }

    @Override
    public void close() {
        LOG.info("courtier version {} terminating", version);
        if (sysSchedule != null) {
            sysSchedule.close();
        }
        listeners.close();
        if (bridges != null) {
            bridges.close();
        }
        context.disconnectAll(2_000);
        cluster.close(); // its peers stop routing here; its client table entries go with the clients
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // The loops have stopped: nothing else touches the sessions; give their buffers back.
        for (Session s : sessions.all()) {
            s.shutdown(); // releases buffers; the store keeps what persistent sessions held
        }
        store.close();
        security.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
