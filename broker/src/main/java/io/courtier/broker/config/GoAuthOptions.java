package io.courtier.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mosquitto-go-auth's {@code auth_opt_*} options for the backends Courtier implements
 * ({@code http}, {@code jwt}) and its cache. Options of go-auth that Courtier does not implement
 * (other backends, log level, Redis cache) are a warning, not an error, so a file moves over.
 */
final class GoAuthOptions {

    private GoAuthOptions() {
    }

    static final List<String> BACKENDS = List.of("http", "jwt");

    /** Checks one option's value on its own line; warns about options Courtier ignores. */
    static void check(ConfigLine l, ConfigState s) throws ConfigException {
        String key = l.name().substring("auth_opt_".length());
        switch (key) {
            case "backends" -> backends(l);
            case "cache", "http_with_tls" -> Values.bool(l);
            case "http_verify_peer" -> {
                if (!Values.bool(l)) {
                    s.warn(l, "auth_opt_http_verify_peer false is ignored: Courtier always checks the HTTP auth "
                            + "service's certificate against the JVM's trust store.");
                }
            }
            case "auth_cache_seconds", "acl_cache_seconds" -> Values.integer(l, 0, 86_400 * 365);
            case "http_port" -> Values.integer(l, 1, 65_535);
            case "http_timeout" -> Values.integer(l, 1, 3600);
            case "http_params_mode" -> Values.oneOf(l, "json", "form");
            case "http_response_mode" -> Values.oneOf(l, "status", "json", "text");
            case "http_method" -> Values.oneOf(l, "POST", "GET", "PUT");
            case "backend_unavailable" -> Values.oneOf(l, "deny", "defer");
            case "jwt_token_from" -> Values.oneOf(l, "password", "username");
            case "jwt_public_key", "jwt_jwks" -> Values.readableFile(l);
            case "http_getuser_uri", "http_superuser_uri", "http_aclcheck_uri" -> uri(l);
            case "http_host", "jwt_secret", "jwt_issuer", "jwt_audience", "jwt_acl_claim",
                 "jwt_username_claim" -> Values.string(l);
            default -> s.warn(l, l.name() + " is not supported by Courtier (the go-auth backends it implements "
                    + "are http and jwt); ignored.");
        }
    }

    private static List<String> backends(ConfigLine l) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (String b : Values.string(l).split(",")) {
            String name = b.strip().toLowerCase(Locale.ROOT);
            if (!BACKENDS.contains(name)) {
                throw l.error("Unsupported go-auth backend \"" + b.strip() + "\": Courtier implements "
                        + String.join(" and ", BACKENDS) + ".");
            }
            if (out.contains(name)) {
                throw l.error("Backend \"" + name + "\" is listed twice.");
            }
            out.add(name);
        }
        return out;
    }

    static GoAuthConfig build(ConfigLine plugin, Map<String, ConfigLine> o) throws ConfigException {
        ConfigLine backendsLine = o.get("backends");
        if (backendsLine == null) {
            throw plugin.error("auth_plugin go-auth needs auth_opt_backends (http, jwt).");
        }
        List<String> backends = backends(backendsLine);
        HttpBackendConfig http = backends.contains("http") ? http(plugin, o) : null;
        JwtBackendConfig jwt = backends.contains("jwt") ? jwt(plugin, o) : null;
        return new GoAuthConfig(plugin.where(), List.copyOf(backends), http, jwt,
                o.containsKey("cache") && Values.bool(o.get("cache")),
                o.containsKey("auth_cache_seconds") ? Values.integer(o.get("auth_cache_seconds"), 0, 86_400 * 365) : 30,
                o.containsKey("acl_cache_seconds") ? Values.integer(o.get("acl_cache_seconds"), 0, 86_400 * 365) : 30,
                o.containsKey("backend_unavailable") && Values.string(o.get("backend_unavailable")).equals("defer"));
    }

    private static HttpBackendConfig http(ConfigLine plugin, Map<String, ConfigLine> o) throws ConfigException {
        for (String required : List.of("http_host", "http_port", "http_getuser_uri", "http_aclcheck_uri")) {
            if (!o.containsKey(required)) {
                throw plugin.error("The http backend needs auth_opt_" + required + ".");
            }
        }
        return new HttpBackendConfig(Values.string(o.get("http_host")), Values.integer(o.get("http_port"), 1, 65_535),
                o.containsKey("http_with_tls") && Values.bool(o.get("http_with_tls")),
                uri(o.get("http_getuser_uri")),
                o.containsKey("http_superuser_uri") ? uri(o.get("http_superuser_uri")) : null,
                uri(o.get("http_aclcheck_uri")),
                o.containsKey("http_params_mode") ? Values.string(o.get("http_params_mode")) : "json",
                o.containsKey("http_response_mode") ? Values.string(o.get("http_response_mode")) : "status",
                o.containsKey("http_timeout") ? Values.integer(o.get("http_timeout"), 1, 3600) : 5,
                o.containsKey("http_method") ? Values.string(o.get("http_method")) : "POST");
    }

    private static String uri(ConfigLine l) throws ConfigException {
        String v = Values.string(l);
        if (!v.startsWith("/")) {
            throw l.error("Invalid " + l.name() + " value (" + v + "): a path starting with /.");
        }
        return v;
    }

    private static JwtBackendConfig jwt(ConfigLine plugin, Map<String, ConfigLine> o) throws ConfigException {
        ConfigLine key = null;
        for (String k : List.of("jwt_secret", "jwt_public_key", "jwt_jwks")) {
            if (o.containsKey(k)) {
                if (key != null) {
                    throw o.get(k).error("The jwt backend takes one key: " + key.name() + " is already set at "
                            + key.where() + ".");
                }
                key = o.get(k);
            }
        }
        if (key == null) {
            throw plugin.error("The jwt backend needs auth_opt_jwt_secret, auth_opt_jwt_public_key or "
                    + "auth_opt_jwt_jwks.");
        }
        return new JwtBackendConfig(
                o.containsKey("jwt_token_from") && Values.string(o.get("jwt_token_from")).equals("username"),
                o.containsKey("jwt_secret") ? Values.string(o.get("jwt_secret")) : null,
                o.containsKey("jwt_public_key") ? Path.of(Values.string(o.get("jwt_public_key"))) : null,
                o.containsKey("jwt_jwks") ? Path.of(Values.string(o.get("jwt_jwks"))) : null,
                optional(o, "jwt_issuer"), optional(o, "jwt_audience"),
                o.containsKey("jwt_username_claim") ? Values.string(o.get("jwt_username_claim")) : "sub",
                optional(o, "jwt_acl_claim"), key.where());
    }

    private static String optional(Map<String, ConfigLine> o, String key) throws ConfigException {
        return o.containsKey(key) ? Values.string(o.get(key)) : null;
    }
}
