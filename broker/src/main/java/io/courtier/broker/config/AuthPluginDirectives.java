package io.courtier.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directives that add links to the authentication chain: Java plugins ({@code plugin x.jar},
 * {@code plugin_opt_*}, {@code plugin_timeout}) and a mosquitto-go-auth configuration
 * ({@code auth_plugin .../go-auth.so} and {@code auth_opt_*}). A {@code plugin} line naming
 * anything but a jar (Mosquitto's dynamic security, a C plugin) is not read here. Each
 * {@code auth_opt_*} value is checked on its line; what needs several lines (a backend without
 * its host) is checked at the end, against the {@code auth_plugin} line.
 */
final class AuthPluginDirectives {

    private AuthPluginDirectives() {
    }

    /** What the lines read so far say; lives in {@link ConfigState}. */
    static final class Draft {
        final List<PluginDraft> plugins = new ArrayList<>();
        /** The jar plugin that {@code plugin_opt_*} lines now belong to, or null. */
        PluginDraft currentPlugin;
        long pluginTimeoutMillis = AuthChainConfig.DEFAULT_PLUGIN_TIMEOUT_MILLIS;
        /** The go-auth {@code auth_plugin} line, or null when there is none. */
        ConfigLine goAuth;
        final Map<String, ConfigLine> options = new LinkedHashMap<>();
    }

    record PluginDraft(ConfigLine line, Path jar, Map<String, String> options) {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        Draft d = s.auth;
        String name = l.name();
        switch (name) {
            case "plugin" -> {
                d.currentPlugin = null;
                if (!l.value().endsWith(".jar")) {
                    return false; // Mosquitto's own plugins (dynamic security) are another room's
                }
                d.currentPlugin = new PluginDraft(l, Values.readableFile(l), new LinkedHashMap<>());
                d.plugins.add(d.currentPlugin);
            }
            case "plugin_timeout" -> d.pluginTimeoutMillis = Values.integer(l, 1, 3600) * 1000L;
            case "auth_plugin" -> {
                if (!Path.of(l.value()).getFileName().toString().startsWith("go-auth")) {
                    return false;
                }
                if (d.goAuth != null) {
                    throw l.error("auth_plugin go-auth is already loaded at " + d.goAuth.where() + ".");
                }
                d.goAuth = l; // the .so itself is never loaded: Courtier implements its backends
            }
            default -> {
                if (name.startsWith("plugin_opt_") && d.currentPlugin != null) {
                    d.currentPlugin.options().put(name.substring("plugin_opt_".length()), l.value());
                } else if (name.startsWith("auth_opt_") && d.goAuth != null) {
                    GoAuthOptions.check(l, s);
                    d.options.put(name.substring("auth_opt_".length()), l);
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /** The chain's configuration, once every file is read. */
    static AuthChainConfig finish(ConfigState s) throws ConfigException {
        Draft d = s.auth;
        List<PluginConfig> plugins = new ArrayList<>();
        for (PluginDraft p : d.plugins) {
            plugins.add(new PluginConfig(p.line().where(), p.jar(), Map.copyOf(p.options())));
        }
        GoAuthConfig backends = d.goAuth == null ? GoAuthConfig.NONE : GoAuthOptions.build(d.goAuth, d.options);
        return new AuthChainConfig(List.copyOf(plugins), d.pluginTimeoutMillis, backends);
    }
}
