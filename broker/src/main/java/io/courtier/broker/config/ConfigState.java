package io.courtier.broker.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the parser has read so far, shared by the directive readers. Mosquitto's scoping:
 * listener options before the first {@code listener} line (and {@code port}/{@code bind_address}
 * anywhere) configure the implicit default listener; after a {@code listener} line they
 * configure that listener.
 */
final class ConfigState {

    final BrokerConfig.Builder builder = BrokerConfig.builder();
    final List<ListenerDraft> listeners = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** The default listener: started only if some directive configured it ({@link #defaultUsed}). */
    ListenerDraft defaultListener;
    boolean defaultUsed;
    /** The last {@code listener} block, or null before the first one. */
    ListenerDraft current;
    boolean perListenerSettings;
    /** Where the first security directive was read: per_listener_settings must come before it. */
    String firstSecurityDirective;
    /** Under per_listener_settings: the first security line aimed at the default listener. */
    ConfigLine defaultSecurityLine;
    Integer websocketsHeadersSize;
    /** Plugins and go-auth backends read so far. */
    final AuthPluginDirectives.Draft auth = new AuthPluginDirectives.Draft();
    /** The first log_dest/log_type replaces Mosquitto's default; later ones add to it. */
    List<LogDestination> logDest;
    Set<String> logTypes;
    /** The dynamic security plugin line being configured (its options follow it), or null. */
    ConfigLine dynamicSecurityPlugin;
    boolean dynamicSecurityConfigured;
    /** cluster_* lines read so far. */
    final ClusterDirectives.Draft cluster = new ClusterDirectives.Draft();
    /** Bridges ({@code connection} blocks) in file order; directives after one configure the last. */
    final List<BridgeDirectives.Draft> bridges = new ArrayList<>();
    /** The main file's directory rules: include_dir is read only from the main file. */
    boolean inMainFile = true;

    /** The listener a listener option applies to; creates the default listener when needed. */
    ListenerDraft listenerFor(ConfigLine l) {
        if (current != null) {
            return current;
        }
        return usedDefaultListener(l);
    }

    ListenerDraft usedDefaultListener(ConfigLine l) {
        ListenerDraft d = defaultListenerDraft(l);
        defaultUsed = true;
        return d;
    }

    ListenerDraft defaultListenerDraft(ConfigLine l) {
        if (defaultListener == null) {
            defaultListener = new ListenerDraft(l.file(), l.line(), BrokerConfig.DEFAULT_PORT, null);
        }
        return defaultListener;
    }

    void warn(ConfigLine l, String message) {
        warnings.add(l.where() + ": " + message);
    }

    List<LogDestination> logDest() {
        if (logDest == null) {
            logDest = new ArrayList<>();
        }
        return logDest;
    }

    Set<String> logTypes() {
        if (logTypes == null) {
            logTypes = new LinkedHashSet<>();
        }
        return logTypes;
    }
}
