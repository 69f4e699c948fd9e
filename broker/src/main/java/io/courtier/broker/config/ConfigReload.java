package io.courtier.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    private ConfigReload() {
    }

    /** Settings Courtier reads once, at start-up, with the directive that sets each. */
    private record StartUpOnly(String directive, Function<BrokerConfig, Object> value) {
    }

    private static final List<StartUpOnly> START_UP_ONLY = List.of(
            new StartUpOnly("persistence", BrokerConfig::persistence),
            new StartUpOnly("persistence_location", BrokerConfig::persistenceLocation),
            new StartUpOnly("persistence_file", BrokerConfig::persistenceFile),
            new StartUpOnly("persistence_sync", BrokerConfig::persistenceSync),
            new StartUpOnly("autosave_interval", BrokerConfig::autosaveInterval),
            new StartUpOnly("autosave_on_changes", BrokerConfig::autosaveOnChanges),
            new StartUpOnly("sys_interval", BrokerConfig::sysInterval),
            new StartUpOnly("set_tcp_nodelay", BrokerConfig::setTcpNodelay),
            new StartUpOnly("pid_file", BrokerConfig::pidFile),
            new StartUpOnly("user", BrokerConfig::user),
            new StartUpOnly("upgrade_outgoing_qos", BrokerConfig::upgradeOutgoingQos),
            new StartUpOnly("max_qos", BrokerConfig::maxQos),
            new StartUpOnly("max_topic_alias", BrokerConfig::maxTopicAlias));

    /**
     * The configuration to run with after a reload: {@code fresh}'s reloadable settings on
     * {@code running}'s listeners. Throws when the listeners were added or removed.
     */
    public static ParsedConfig apply(BrokerConfig running, ParsedConfig fresh) throws ConfigException {
        BrokerConfig next = fresh.config();
        List<ListenerConfig> open = running.listeners();
        List<ListenerConfig> read = next.listeners();
        if (open.size() != read.size() || running.localOnly() != next.localOnly()) {
            throw new ConfigException(
                    "It is not currently possible to add/remove listeners when reloading the config file.");
        }
        List<String> warnings = new ArrayList<>(fresh.warnings());
        List<ListenerConfig> listeners = new ArrayList<>();
        for (ListenerConfig l : open) {
            ListenerConfig same = read.stream().filter(r -> sameSocket(l, r)).findFirst().orElseThrow(() ->
                    new ConfigException("It is not currently possible to add/remove listeners when reloading the"
                            + " config file."));
            if (!l.withSecurity(same.security()).equals(same)) {
                warnings.add("Options of the listener on port " + l.port() + " changed: listener options are not"
                        + " reloaded (as in Mosquitto); restart to apply them.");
            }
            listeners.add(l.withSecurity(same.security()));
        }
        BrokerConfig.Builder b = next.toBuilder();
        b.listeners = listeners;
        b.localOnly = running.localOnly();
        for (StartUpOnly s : START_UP_ONLY) {
            if (!Objects.equals(s.value.apply(running), s.value.apply(next))) {
                warnings.add(s.directive + " changed: it is read at start-up only; restart to apply it.");
            }
        }
        b.persistence = running.persistence();
        b.persistenceLocation = running.persistenceLocation();
        b.persistenceFile = running.persistenceFile();
        b.persistenceSync = running.persistenceSync();
        b.autosaveInterval = running.autosaveInterval();
        b.autosaveOnChanges = running.autosaveOnChanges();
        b.sysInterval = running.sysInterval();
        b.setTcpNodelay = running.setTcpNodelay();
        b.pidFile = running.pidFile();
        b.user = running.user();
        b.upgradeOutgoingQos = running.upgradeOutgoingQos();
        b.maxQos = running.maxQos();
        b.maxTopicAlias = running.maxTopicAlias();
        return new ParsedConfig(b.build(), List.copyOf(warnings));
    }

    /** The same listening socket: port, address, interface and domain. */
    static boolean sameSocket(ListenerConfig a, ListenerConfig b) {
        return a.port() == b.port() && Objects.equals(a.bindAddress(), b.bindAddress())
                && Objects.equals(a.bindInterface(), b.bindInterface())
                && Objects.equals(a.socketDomain(), b.socketDomain());
    }
}
