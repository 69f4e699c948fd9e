package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugin x.jar}, {@code auth_plugin go-auth.so} and {@code auth_opt_*}: what they configure, and their errors. */
class AuthPluginDirectivesTest {

    @TempDir
    Path dir;

    private ConfigFiles files() {
        return new ConfigFiles(dir);
    }

    private static final String GO_AUTH = "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so";

    @Test
    void aGoAuthHttpConfigurationIsRead() throws Exception {
        BrokerConfig c = files().config("listener 0", GO_AUTH, "auth_opt_backends http",
                "auth_opt_http_host auth.local", "auth_opt_http_port 8080", "auth_opt_http_getuser_uri /auth",
                "auth_opt_http_aclcheck_uri /acl", "auth_opt_http_params_mode form", "auth_opt_http_method GET",
                "auth_opt_cache true", "auth_opt_acl_cache_seconds 60", "auth_opt_log_level debug");
        GoAuthConfig g = c.auth().backends();
        assertThat(g.backends()).containsExactly("http");
        assertThat(g.http()).isEqualTo(new HttpBackendConfig("auth.local", 8080, false, "/auth", null, "/acl", "form",
                "status", 5, "GET"));
        assertThat(g.cache()).isTrue();
        assertThat(g.authCacheSeconds()).isEqualTo(30);
        assertThat(g.aclCacheSeconds()).isEqualTo(60);
        assertThat(g.deferWhenUnavailable()).isFalse();
    }

    @Test
    void goAuthOptionsCourtierDoesNotImplementAreWarnings() throws Exception {
        ParsedConfig p = files().parse("listener 0", GO_AUTH, "auth_opt_backends jwt", "auth_opt_jwt_secret s",
                "auth_opt_log_level debug");
        assertThat(p.warnings()).singleElement().asString().endsWith("test.conf:5: auth_opt_log_level is not "
                + "supported by Courtier (the go-auth backends it implements are http and jwt); ignored.");
    }

    @Test
    void badValuesStopStartUpWithTheirLine() throws Exception {
        ConfigFiles f = files();
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_http_port eighty"))
                .startsWith("test.conf:3: ");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_http_params_mode xml"))
                .isEqualTo("test.conf:3: Invalid auth_opt_http_params_mode value (xml): must be json, form.");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_cache maybe")).startsWith("test.conf:3: ");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_backends http,mysql"))
                .isEqualTo("test.conf:3: Unsupported go-auth backend \"mysql\": Courtier implements http and jwt.");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_backends http", "auth_opt_http_port 80"))
                .startsWith("test.conf:2: The http backend needs auth_opt_http_host");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_backends jwt"))
                .startsWith("test.conf:2: The jwt backend needs auth_opt_jwt_secret");
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_http_getuser_uri auth"))
                .isEqualTo("test.conf:3: Invalid auth_opt_http_getuser_uri value (auth): a path starting with /.");
    }

    @Test
    void anUnreadableKeyFileStopsStartUpWithItsLine() throws Exception {
        ConfigFiles f = files();
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_backends jwt",
                "auth_opt_jwt_public_key " + dir.resolve("missing.pem")))
                .isEqualTo("test.conf:4: Unable to open auth_opt_jwt_public_key \"missing.pem\": no such file.");
        Files.createDirectory(dir.resolve("keys"));
        assertThat(f.error("listener 0", GO_AUTH, "auth_opt_backends jwt", "auth_opt_jwt_jwks " + dir.resolve("keys")))
                .startsWith("test.conf:4: Unable to open auth_opt_jwt_jwks");
    }

    @Test
    void javaPluginsAndTheirOptions() throws Exception {
        Path jar = Files.createFile(dir.resolve("x.jar"));
        BrokerConfig c = files().config("listener 0", "plugin " + jar, "plugin_opt_users a:b", "plugin_opt_prefix p",
                "plugin_timeout 3");
        assertThat(c.auth().plugins()).singleElement().satisfies(p -> {
            assertThat(p.jar()).isEqualTo(jar);
            assertThat(p.options()).containsEntry("users", "a:b").containsEntry("prefix", "p").hasSize(2);
            assertThat(p.where()).endsWith("test.conf:2");
        });
        assertThat(c.auth().pluginTimeoutMillis()).isEqualTo(3000);
        assertThat(files().error("listener 0", "plugin " + dir.resolve("none.jar")))
                .startsWith("test.conf:2: Unable to open plugin");
    }

    @Test
    void mosquittosOwnPluginsAreNotReadHere() throws Exception {
        files().write("dynsec.json", "{}");
        ParsedConfig p = files().parse("listener 0", "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file " + dir.resolve("dynsec.json"));
        assertThat(p.config().auth().plugins()).isEmpty();
        assertThat(p.config().auth()).isEqualTo(AuthChainConfig.NONE);
        // left to the directive family that knows them: dynamic security, built in
        assertThat(p.config().security().dynamicSecurityFile()).isEqualTo(dir.resolve("dynsec.json"));
        assertThat(p.warnings()).isEmpty();
    }
}
