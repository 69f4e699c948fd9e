package io.courtier.broker.protocol;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.Tunables;
import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.Router;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.security.SecurityRules;
import io.courtier.broker.session.ClientPresence;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The broker's rooms as the protocol handlers see them. Built once by {@code Broker}; shared by
 * every connection.
 */
public final class BrokerContext {

    /** Replaced as a whole by a reload (SIGHUP); handlers read it once per decision. */
    volatile BrokerConfig config;
    final BrokerStats stats;
    final SessionRegistry sessions;
    final TopicTree tree;
    final RetainedStore retained;
    final Router router;
    final Store store;
    /** Where every accepted message goes: client PUBLISHes and wills from this room. */
    final Ingest ingest;
    volatile SessionLimits limits;
    /** The internal limits and timers (read once at start-up). */
    final Tunables tunables;
    final long connectTimeoutMillis;
    final SecurityRules security;

    public BrokerContext(BrokerConfig config, BrokerStats stats, SessionRegistry sessions, TopicTree tree,
                         RetainedStore retained, Router router, Ingest ingest, Store store,
                         SecurityRules security, long connectTimeoutMillis, Tunables tunables) {
        this.config = config;
        this.stats = stats;
        this.sessions = sessions;
        this.tree = tree;
        this.retained = retained;
        this.router = router;
        this.store = store;
        this.ingest = ingest;
        this.security = security;
        this.tunables = tunables;
        this.limits = SessionLimits.of(config, tunables);
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** The cluster's client table once this broker joined one; {@link ClientPresence#NONE} on a single broker. */
    volatile ClientPresence presence = ClientPresence.NONE;

    /** This broker joined a cluster: its clients are told to the cluster's client table from now on. */
    public void joinedCluster(ClientPresence table) {
        this.presence = table;
    }

    /**
     * The client connected to another cluster node: its connection here is taken over as by a
     * new connection here (MQTT 3.1.4-3): closed (DISCONNECT 0x8E to an MQTT 5 client), its will
     * published, and its session here ended, or parked in the cluster when it is persistent, for the
     * node the client connected to to take.
     */
    public void takenOverElsewhere(String clientId) {
        io.courtier.broker.session.Session s = sessions.get(clientId);
        if (s == null) {
            return;
        }
        s.execute(() -> {
            if (sessions.get(clientId) != s) {
                return;
            }
            io.courtier.broker.session.ClientLink old = s.link();
            if (old != null) {
                s.detach(old);
                old.takeOver(false);
            }
            if (!s.cleanSession() && presence.parks()) {
                // Parked for the node the client connected to, which waits for it (a persistent
                // session moves with its client).
                SessionCleanup.park(this, s);
            } else {
                SessionCleanup.endSession(this, s);
            }
        });
    }

    /**
     * The Receive Maximum we announce to MQTT 5 clients: max_inflight_messages, as Mosquitto
     * does (0 there means unlimited, the protocol's 65,535 here).
     */
    int receiveMaximum() {
        int max = config.maxInflightMessages();
        return max <= 0 || max > 65_535 ? 65_535 : max;
    }

    /**
     * The Topic Alias Maximum we announce to a listener's clients (max_topic_alias, the listener's
     * own if it sets one); 0 = clients may not use aliases.
     */
    int topicAliasMaximum(ListenerConfig listener) {
        return Math.max(0, Math.min(65_535, listener.limits().maxTopicAlias(config)));
    }

    /** The highest QoS a listener's clients may use (max_qos, the listener's own if it sets one). */
    int maxQos(ListenerConfig listener) {
        return listener.limits().maxQos(config);
    }

    /** The longest keep alive a listener's clients may ask for (max_keepalive, the listener's own if set). */
    int maxKeepalive(ListenerConfig listener) {
        return listener.limits().maxKeepalive(config);
    }

    /**
     * Puts a reloaded configuration in force (its listeners are the running ones, see
     * {@code ConfigReload}): new connections and every session's limits follow it at once.
     */
    public void reconfigure(BrokerConfig newConfig) {
        this.config = newConfig;
        router.upgradeOutgoingQos(newConfig.upgradeOutgoingQos());
        ingest.retainAvailable(newConfig.retainAvailable());
        SessionLimits newLimits = SessionLimits.of(newConfig, tunables);
        this.limits = newLimits;
        for (io.courtier.broker.session.Session s : sessions.all()) {
            s.limits(newLimits);
        }
    }

    /** A listener's authentication and ACL; a reload (SIGHUP) updates them in place. */
    ListenerSecurity security(ListenerConfig listener) {
        return security.forListener(listener);
    }

    /** The dynamic security plugin on a listener, or null: it owns {@code $CONTROL/dynamic-security/v1} there. */
    public io.courtier.broker.security.dynsec.DynamicSecurity dynamicSecurity(ListenerConfig listener) {
        return security.dynamicSecurity(listener);
    }

    /** Every dynamic security file in use (the console manages the first). */
    public Collection<io.courtier.broker.security.dynsec.DynamicSecurity> dynamicSecurities() {
        return security.dynamicSecurities();
    }

    /**
     * Disconnects the connected clients with one of these user names (and the anonymous ones when
     * asked): dynamic security changed who they are. Each is closed on its own event loop.
     */
    public void kick(Set<String> usernames, boolean anonymous) {
        for (MqttConnection c : connections) {
            c.ctx.executor().execute(() -> {
                if (c.state != MqttConnection.State.CONNECTED) {
                    return;
                }
                if (c.username == null ? anonymous : usernames.contains(c.username)) {
                    Closing.kickedByAdministrator(c);
                }
            });
        }
    }

    // Read-only views for the console and metrics (web room).

    /** A listener's rules, for the console's logins (HTTP Basic, checked like CONNECT). */
    public ListenerSecurity listenerSecurity(ListenerConfig listener) {
        return security.forListener(listener);
    }

    /** Who administers the console: console_admin users and any registered source. */
    public io.courtier.broker.security.Administrators administrators() {
        return security.administrators();
    }

    /** Whether anyone is named administrator (console_admin, or a registered source). */
    public boolean hasAdministrators() {
        return security.hasAdministrators();
    }

    /** Where every login is checked, MQTT's and the console's: bounded, fair, off the event loops. */
    public io.courtier.broker.security.LoginGate logins() {
        return security.logins();
    }

    public BrokerConfig config() {
        return config;
    }

    /** How long a new connection may take to send CONNECT (and, behind a proxy, its PROXY header). */
    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public BrokerStats stats() {
        return stats;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public TopicTree tree() {
        return tree;
    }

    public RetainedStore retained() {
        return retained;
    }

    /** The bridges' state for the console and /metrics; set by the composition root once they run. */
    private volatile Supplier<List<io.courtier.broker.sys.BridgeStatus>> bridges =
            List::of;

    public void bridges(Supplier<List<io.courtier.broker.sys.BridgeStatus>> source) {
        this.bridges = source;
    }

    public List<io.courtier.broker.sys.BridgeStatus> bridges() {
        return bridges.get();
    }

    /** Where every accepted message goes: a bridge's incoming messages too. */
    public Ingest ingest() {
        return ingest;
    }

    /** The store sessions are made durable in (a bridge's local session, like a client's). */
    public Store store() {
        return store;
    }

    /** The per-session limits in force (a reload replaces them). */
    public SessionLimits limits() {
        return limits;
    }

    /** A session restored from the store at start-up: it is offline, so its expiry clock runs. */
    public void restored(io.courtier.broker.session.Session session) {
        session.checkReadPermissionOnSend();
        session.execute(() -> SessionCleanup.detached(this, session));
    }

    /**
     * In a cluster, once joined: a persistent session restored from the store at start-up that is
     * still offline here goes to the cluster, so that its client resumes it on any node.
     */
    public void parkRestored(io.courtier.broker.session.Session session) {
        if (session.cleanSession() || !presence.parks()) {
            return;
        }
        session.execute(() -> {
            if (sessions.get(session.clientId()) == session && !session.isConnected() && !shuttingDown) {
                SessionCleanup.parkRestored(this, session);
            }
        });
    }

    /**
     * Client ids whose session is being taken from the cluster by a CONNECT here, completed once
     * that CONNECT has its session: another CONNECT with the same id waits for it (ClusterResume).
     */
    final Map<String, CompletableFuture<Void>> resuming = new ConcurrentHashMap<>();

    /** Live connections, so that a closing broker can tell each one why (DISCONNECT 0x8B). */
    final Set<MqttConnection> connections = ConcurrentHashMap.newKeySet();
    volatile boolean shuttingDown;

    /**
     * Broker shutdown: every MQTT 5 client gets DISCONNECT "Server shutting down" (0x8B), every
     * other one a close; waits up to {@code timeoutMillis} for the sockets to close. Wills are not
     * published: the broker that would route them is going away.
     */
    public void disconnectAll(long timeoutMillis) {
        shuttingDown = true;
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (MqttConnection c : connections) {
            closing.add(c.ctx.channel().closeFuture());
            c.ctx.executor().execute(() -> Closing.serverShuttingDown(c));
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (io.netty.channel.ChannelFuture f : closing) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !f.awaitUninterruptibly(left)) {
                return;
            }
        }
    }

}
