package io.courtier.broker.security.chain;

import io.courtier.broker.config.AuthChainConfig;
import io.courtier.broker.config.GoAuthConfig;
import io.courtier.broker.config.PluginConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The links every listener shares, built once at start-up and kept across reloads: the Java
 * plugins in configuration order, then the go-auth backends in {@code auth_opt_backends} order.
 * A plugin or key that cannot be loaded stops start-up with its line's {@code FILE:LINE}.
 */
public final class SharedLinks implements AutoCloseable {

    private final List<AuthLink> links;

    private SharedLinks(List<AuthLink> links) {
        this.links = List.copyOf(links);
    }

    public static SharedLinks load(AuthChainConfig config) {
        List<AuthLink> links = new ArrayList<>();
        try {
            for (PluginConfig p : config.plugins()) {
                links.add(PluginLoader.load(p, config.pluginTimeoutMillis()));
            }
            GoAuthConfig goAuth = config.backends();
            for (String backend : goAuth.backends()) {
                links.add(switch (backend) {
                    case "http" -> new HttpBackend(goAuth.http(), goAuth.deferWhenUnavailable(), goAuth.cache(),
                            goAuth.authCacheSeconds(), goAuth.aclCacheSeconds());
                    case "jwt" -> new JwtBackend(goAuth.jwt());
                    default -> throw new IllegalStateException("unknown backend " + backend);
                });
            }
        } catch (RuntimeException e) {
            links.forEach(AuthLink::close);
            throw e;
        }
        return new SharedLinks(links);
    }

    public List<AuthLink> links() {
        return links;
    }

    public boolean isEmpty() {
        return links.isEmpty();
    }

    @Override
    public void close() {
        links.forEach(AuthLink::close);
    }
}
