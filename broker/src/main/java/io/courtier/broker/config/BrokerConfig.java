package io.courtier.broker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything the broker is configured with, as Mosquitto's {@code mosquitto.conf} names it;
 * built by the parser or by {@link #builder()} in tests. Defaults are Mosquitto 2's.
 * Sizes of 0 mean "no limit" as in Mosquitto. Times are seconds.
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        boolean localOnly,
        boolean perListenerSettings,
        SecurityConfig security,
        List<String> clientidPrefixes,
        int maxKeepalive,
        long persistentClientExpiration,
        int maxInflightMessages,
        long maxInflightBytes,
        int maxQueuedMessages,
        long maxQueuedBytes,
        boolean queueQos0Messages,
        int messageSizeLimit,
        int maxPacketSize,
        boolean retainAvailable,
        int maxQos,
        boolean upgradeOutgoingQos,
        int sysInterval,
        boolean persistence,
        Path persistenceLocation,
        String persistenceFile,
        int autosaveInterval,
        boolean autosaveOnChanges,
        PersistenceSync persistenceSync,
        List<LogDestination> logDest,
        Set<String> logTypes,
        boolean logTimestamp,
        String logTimestampFormat,
        boolean connectionMessages,
        Path pidFile,
        String user,
        boolean setTcpNodelay,
        int maxTopicAlias,
        int globalMaxClients,
        int globalMaxConnections,
        ConsoleConfig console,
        int maxSubscriptionsPerClient,
        long maxQueuedBytesTotal,
        boolean checkRetainSource,
        AuthChainConfig auth,
        ClusterConfig cluster,
        List<BridgeConfig> bridges) {

    public static final int DEFAULT_PORT = 1883;

    /** Mosquitto 2 with no configuration: local-only on 127.0.0.1 and ::1, port 1883. */
    public static BrokerConfig defaults() {
        return builder().build();
    }

    /** Local-only mode on another port (the {@code -p} flag without {@code -c}). */
    public static List<ListenerConfig> localOnlyListeners(int port) {
        return List.of(ListenerConfig.mqtt(port, "127.0.0.1"), ListenerConfig.mqtt(port, "::1"));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.listeners = listeners;
        b.localOnly = localOnly;
        b.perListenerSettings = perListenerSettings;
        b.security = security;
        b.clientidPrefixes = clientidPrefixes;
        b.maxKeepalive = maxKeepalive;
        b.persistentClientExpiration = persistentClientExpiration;
        b.maxInflightMessages = maxInflightMessages;
        b.maxInflightBytes = maxInflightBytes;
        b.maxQueuedMessages = maxQueuedMessages;
        b.maxQueuedBytes = maxQueuedBytes;
        b.queueQos0Messages = queueQos0Messages;
        b.messageSizeLimit = messageSizeLimit;
        b.maxPacketSize = maxPacketSize;
        b.retainAvailable = retainAvailable;
        b.maxQos = maxQos;
        b.upgradeOutgoingQos = upgradeOutgoingQos;
        b.sysInterval = sysInterval;
        b.persistence = persistence;
        b.persistenceLocation = persistenceLocation;
        b.persistenceFile = persistenceFile;
        b.autosaveInterval = autosaveInterval;
        b.autosaveOnChanges = autosaveOnChanges;
        b.persistenceSync = persistenceSync;
        b.logDest = logDest;
        b.logTypes = logTypes;
        b.logTimestamp = logTimestamp;
        b.logTimestampFormat = logTimestampFormat;
        b.connectionMessages = connectionMessages;
        b.pidFile = pidFile;
        b.user = user;
        b.setTcpNodelay = setTcpNodelay;
        b.maxTopicAlias = maxTopicAlias;
        b.globalMaxClients = globalMaxClients;
        b.globalMaxConnections = globalMaxConnections;
        b.console = console;
        b.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
        b.maxQueuedBytesTotal = maxQueuedBytesTotal;
        b.checkRetainSource = checkRetainSource;
        b.auth = auth;
        b.cluster = cluster;
        b.bridges = bridges;
        return b;
    }

    /**
     * The security settings in force on a listener: its own under per_listener_settings, else the
     * global ones; Mosquitto 2.1's listener_allow_anonymous and listener_auto_id_prefix override
     * either.
     */
    public SecurityConfig securityFor(ListenerConfig listener) {
        ListenerConfig own = ownListener(listener);
        SecurityConfig base = perListenerSettings && own.security() != null ? own.security() : security;
        return own.admission().applyTo(base);
    }

    /**
     * This configuration's record of a listener: the same one, or the one on the same socket (a
     * connection keeps the record it was accepted with; a reload gives its listener new security
     * settings under a new record).
     */
    private ListenerConfig ownListener(ListenerConfig listener) {
        for (ListenerConfig l : listeners) {
            if (l == listener) {
                return l;
            }
        }
        for (ListenerConfig l : listeners) {
            if (ConfigReload.sameSocket(l, listener)) {
                return l;
            }
        }
        return listener;
    }

    /**
     * Whether a listener accepts clients of an MQTT protocol level, as its record in this
     * configuration says: {@code accept_protocol_versions} follows a reload, as in Mosquitto 2.1.
     */
    public boolean acceptsProtocolLevel(ListenerConfig listener, int protocolLevel) {
        return ownListener(listener).admission().accepts(protocolLevel);
    }

    /** Whether anonymous clients may connect on a listener, applying Mosquitto 2's default. */
    public boolean allowAnonymous(ListenerConfig listener) {
        Boolean set = securityFor(listener).allowAnonymous();
        return set != null ? set : localOnly;
    }

    /** Mutable builder with Mosquitto's defaults; fields are public to keep tests short. */
    public static final class Builder {
        public List<ListenerConfig> listeners = localOnlyListeners(DEFAULT_PORT);
        public boolean localOnly = true;
        public boolean perListenerSettings = false;
        public SecurityConfig security = SecurityConfig.DEFAULT;
        public List<String> clientidPrefixes = List.of();
        public int maxKeepalive = 65535;
        public long persistentClientExpiration = 0;
        public int maxInflightMessages = 20;
        public long maxInflightBytes = 0;
        public int maxQueuedMessages = 1000;
        public long maxQueuedBytes = 0;
        public boolean queueQos0Messages = false;
        public int messageSizeLimit = 0;
        public int maxPacketSize = 0;
        public boolean retainAvailable = true;
        public int maxQos = 2;
        public boolean upgradeOutgoingQos = false;
        public int sysInterval = 10;
        public boolean persistence = false;
        public Path persistenceLocation = Path.of("");
        public String persistenceFile = "mosquitto.db";
        public int autosaveInterval = 1800;
        public boolean autosaveOnChanges = false;
        public PersistenceSync persistenceSync = PersistenceSync.ALWAYS;
        public List<LogDestination> logDest = List.of(LogDestination.STDERR);
        public Set<String> logTypes = Set.of("error", "warning", "notice", "information");
        public boolean logTimestamp = true;
        public String logTimestampFormat = null;
        public boolean connectionMessages = true;
        public Path pidFile = null;
        public String user = null;
        public boolean setTcpNodelay = false;
        /** MQTT 5 Topic Alias Maximum announced in CONNACK (Mosquitto's max_topic_alias, default 10). */
        public int maxTopicAlias = 10;
        /** Mosquitto 2.1's caps on sessions and on open connections across all listeners; 0: none. */
        public int globalMaxClients = 0;
        public int globalMaxConnections = 0;
        public ConsoleConfig console = ConsoleConfig.DEFAULT;
        /** Subscriptions one client may hold (0: no limit); Courtier's, as EMQX's max_subscriptions. */
        public int maxSubscriptionsPerClient = 0;
        /** Bytes of queued payloads across all sessions together (0: no limit); Courtier's. */
        public long maxQueuedBytesTotal = 0;
        /** Re-check a retained message's publisher against the ACL before sending it (Mosquitto's default). */
        public boolean checkRetainSource = true;
        /** Plugins and mosquitto-go-auth style backends; {@link AuthChainConfig#NONE} without any. */
        public AuthChainConfig auth = AuthChainConfig.NONE;
        /** The cluster_* directives; {@link ClusterConfig#NONE}: a single broker. */
        public ClusterConfig cluster = ClusterConfig.NONE;
        /** Bridges to other brokers ({@code connection} blocks); none by default. */
        public List<BridgeConfig> bridges = List.of();

        /** Replaces the listeners with one plain MQTT listener on all addresses (tests use port 0). */
        public Builder listener(int port) {
            return listeners(List.of(ListenerConfig.mqtt(port, null)));
        }

        public Builder listeners(List<ListenerConfig> value) {
            listeners = List.copyOf(value);
            localOnly = false;
            return this;
        }

        public Builder allowAnonymous(boolean value) {
            security = security.withAllowAnonymous(value);
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(List.copyOf(listeners), localOnly, perListenerSettings, security,
                    List.copyOf(clientidPrefixes), maxKeepalive, persistentClientExpiration,
                    maxInflightMessages, maxInflightBytes, maxQueuedMessages, maxQueuedBytes,
                    queueQos0Messages, messageSizeLimit, maxPacketSize, retainAvailable, maxQos,
                    upgradeOutgoingQos, sysInterval, persistence, persistenceLocation, persistenceFile,
                    autosaveInterval, autosaveOnChanges, persistenceSync, List.copyOf(logDest),
                    Set.copyOf(logTypes), logTimestamp, logTimestampFormat, connectionMessages, pidFile,
                    user, setTcpNodelay, maxTopicAlias, globalMaxClients, globalMaxConnections,
                    console, maxSubscriptionsPerClient, maxQueuedBytesTotal,
                    checkRetainSource, auth, cluster, List.copyOf(bridges));
        }
    }
}
