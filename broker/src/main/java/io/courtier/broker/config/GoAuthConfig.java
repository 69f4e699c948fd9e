package io.courtier.broker.config;

import java.util.List;

/**
 * A mosquitto-go-auth configuration ({@code auth_plugin .../go-auth.so} and its
 * {@code auth_opt_*} options), read so an existing file moves over unchanged.
 *
 * @param where              the {@code auth_plugin} line's {@code FILE:LINE}
 * @param backends           {@code auth_opt_backends}, in order: {@code http}, {@code jwt}
 * @param cache              {@code auth_opt_cache}: whether answers are remembered
 * @param authCacheSeconds   {@code auth_opt_auth_cache_seconds} (go-auth's default, 30)
 * @param aclCacheSeconds    {@code auth_opt_acl_cache_seconds} (go-auth's default, 30)
 * @param deferWhenUnavailable {@code auth_opt_backend_unavailable defer}: a backend that cannot
 *                           answer (down, timed out, 5xx) defers to the next link instead of denying
 */
public record GoAuthConfig(String where, List<String> backends, HttpBackendConfig http, JwtBackendConfig jwt,
                           boolean cache, int authCacheSeconds, int aclCacheSeconds,
                           boolean deferWhenUnavailable) {

    public static final GoAuthConfig NONE = new GoAuthConfig(null, List.of(), null, null, false, 30, 30, false);
}
