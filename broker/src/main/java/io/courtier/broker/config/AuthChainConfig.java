package io.courtier.broker.config;

import java.util.List;

/**
 * What authentication and authorisation consult beyond the password and ACL files: Java
 * plugins ({@code plugin x.jar}), then the backends of a mosquitto-go-auth configuration
 * ({@code auth_plugin .../go-auth.so} with {@code auth_opt_*}), each a link of the chain the
 * security room builds.
 *
 * @param plugins             the Java plugins, in configuration order
 * @param pluginTimeoutMillis how long one plugin call may take ({@code plugin_timeout})
 * @param backends            the go-auth backends, or {@link GoAuthConfig#NONE} without {@code auth_plugin}
 */
public record AuthChainConfig(List<PluginConfig> plugins, long pluginTimeoutMillis, GoAuthConfig backends) {

    public static final long DEFAULT_PLUGIN_TIMEOUT_MILLIS = 5_000;

    public static final AuthChainConfig NONE = new AuthChainConfig(List.of(), DEFAULT_PLUGIN_TIMEOUT_MILLIS,
            GoAuthConfig.NONE);

    public boolean isEmpty() {
        return plugins.isEmpty() && backends.backends().isEmpty();
    }
}
