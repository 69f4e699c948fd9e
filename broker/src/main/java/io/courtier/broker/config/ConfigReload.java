package io.courtier.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What SIGHUP takes from {@code mosquitto.conf} read again, as Mosquitto 2.0 does (the
 * "Reloaded on reload signal" notes of mosquitto.conf(5), checked against Debian's 2.0.11):
 * the global settings (limits, logging, {@code clientid_prefixes}, {@code max_keepalive} ...) and
 * the security settings, global or per listener ({@code allow_anonymous}, {@code password_file},
 * {@code acl_file}, {@code allow_zero_length_clientid}, {@code auto_id_prefix},
 * {@code per_listener_settings}). The listeners stay as they were opened: adding or removing one
 * is refused with Mosquitto's message and the running configuration is kept; a changed listener
 * option, or a setting Courtier applies only at start-up, is kept too and named in a warning,
 * where Mosquitto is silent.
 */
public final class ConfigReload {

    /** Mosquitto 2.0.11's words when the file read again has other listeners. */
    private static final String LISTENERS_CHANGED =
            "It is not currently possible to add/remove listeners when reloading the config file.";

    private ConfigReload() {
    }

    /**
     * A setting Courtier reads once, at start-up: its directive, its value, and how the running
     * value is kept in the reloaded configuration.
     */
    private record StartUpOnly(String directive, Function<BrokerConfig, Object> value,
                               BiConsumer<BrokerConfig.Builder, BrokerConfig> keep) {
    }

    private static final List<StartUpOnly> START_UP_ONLY = List.of(
            new StartUpOnly("persistence", BrokerConfig::persistence, (b, c) -> b.persistence = c.persistence()),
            new StartUpOnly("persistence_location", BrokerConfig::persistenceLocation,
                    (b, c) -> b.persistenceLocation = c.persistenceLocation()),
            new StartUpOnly("persistence_file", BrokerConfig::persistenceFile,
                    (b, c) -> b.persistenceFile = c.persistenceFile()),
            new StartUpOnly("persistence_sync", BrokerConfig::persistenceSync,
                    (b, c) -> b.persistenceSync = c.persistenceSync()),
            new StartUpOnly("autosave_interval", BrokerConfig::autosaveInterval,
                    (b, c) -> b.autosaveInterval = c.autosaveInterval()),
            new StartUpOnly("autosave_on_changes", BrokerConfig::autosaveOnChanges,
                    (b, c) -> b.autosaveOnChanges = c.autosaveOnChanges()),
            new StartUpOnly("pid_file", BrokerConfig::pidFile, (b, c) -> b.pidFile = c.pidFile()),
            new StartUpOnly("user", BrokerConfig::user, (b, c) -> b.user = c.user()),
            new StartUpOnly("max_qos", BrokerConfig::maxQos, (b, c) -> b.maxQos = c.maxQos()),
            new StartUpOnly("max_topic_alias", BrokerConfig::maxTopicAlias,
                    (b, c) -> b.maxTopicAlias = c.maxTopicAlias()),
            new StartUpOnly("cluster_*", BrokerConfig::cluster, (b, c) -> b.cluster = c.cluster()));

    /**
     * The configuration to run with after a reload: {@code fresh}'s reloadable settings on
     * {@code running}'s listeners. Throws when the listeners were added or removed.
     */
    public static ParsedConfig apply(BrokerConfig running, ParsedConfig fresh) throws ConfigException {
        BrokerConfig next = fresh.config();
        List<ListenerConfig> open = running.listeners();
        List<ListenerConfig> read = next.listeners();
        if (open.size() != read.size() || running.localOnly() != next.localOnly()) {
            throw new ConfigException(LISTENERS_CHANGED);
        }
        List<String> warnings = new ArrayList<>(fresh.warnings());
        List<ListenerConfig> listeners = new ArrayList<>();
        for (ListenerConfig l : open) {
            ListenerConfig same = read.stream().filter(r -> sameSocket(l, r)).findFirst()
                    .orElseThrow(() -> new ConfigException(LISTENERS_CHANGED));
            ListenerConfig reloaded = reloadable(l, same);
            if (!reloaded.equals(same)) {
                warnings.add("Options of the listener on port " + l.port() + " changed: listener options are not"
                        + " reloaded (as in Mosquitto); restart to apply them.");
            }
            listeners.add(reloaded);
        }
        BrokerConfig.Builder b = next.toBuilder();
        b.listeners = listeners;
        b.localOnly = running.localOnly();
        for (StartUpOnly s : START_UP_ONLY) {
            if (!Objects.equals(s.value.apply(running), s.value.apply(next))) {
                warnings.add(s.directive + " changed: it is read at start-up only; restart to apply it.");
            }
            s.keep.accept(b, running);
        }
        return new ParsedConfig(b.build(), List.copyOf(warnings));
    }

    /**
     * The running listener with what a reload may change on it: its security settings, and the
     * protocol levels of {@code accept_protocol_versions}, which Mosquitto 2.1 re-reads too.
     */
    private static ListenerConfig reloadable(ListenerConfig running, ListenerConfig read) {
        return running.withSecurity(read.security())
                .withAdmission(running.admission().withProtocolLevels(read.admission().protocolLevels()));
    }

    /** The same listening socket: port, address, interface and domain. */
    static boolean sameSocket(ListenerConfig a, ListenerConfig b) {
        return a.port() == b.port() && Objects.equals(a.bindAddress(), b.bindAddress())
                && Objects.equals(a.bindInterface(), b.bindInterface())
                && Objects.equals(a.socketDomain(), b.socketDomain());
    }
}
