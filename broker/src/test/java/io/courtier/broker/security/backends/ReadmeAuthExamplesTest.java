package io.courtier.broker.security.backends;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Authentication backends and plugins" examples, read from the README itself and
 * run as written: only the service's host and port, the key file and the jar are swapped for the
 * test's own.
 */
class ReadmeAuthExamplesTest {

    @TempDir
    Path dir;

    private List<String> examples;

    @BeforeEach
    void readReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("### Authentication backends and plugins");
        int to = readme.indexOf("\n## ", from); // the section ends at the next top-level heading
        assertThat(from).isPositive();
        examples = new ArrayList<>();
        Matcher m = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).hasSize(3); // http, jwt, plugin (the Java sketch is ```java)
    }

    private Broker start(String example) throws Exception {
        Path conf = dir.resolve("readme.conf");
        Files.writeString(conf, "listener 0\nallow_anonymous false\n" + example, StandardCharsets.UTF_8);
        var parsed = ConfigParser.parse(conf);
        assertThat(parsed.warnings()).isEmpty();
        return Broker.start(parsed.config(), "test");
    }

    private static int pub(Broker broker, String user, String password) {
        return External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-u", user, "-P", password, "-t", "t", "-m", "x")).exitCode();
    }

    @Test
    void theHttpExample() throws Exception {
        try (AuthService service = new AuthService()) {
            service.passwords.put("alice", "wonderland");
            String example = examples.get(0).replace("auth.lan", "127.0.0.1")
                    .replace("auth_opt_http_port 8080", "auth_opt_http_port " + service.port())
                    .replace("/mqtt/user", "/auth").replace("/mqtt/superuser", "/superuser").replace("/mqtt/acl", "/acl");
            try (Broker broker = start(example)) {
                assertThat(pub(broker, "alice", "wonderland")).isZero();
                assertThat(pub(broker, "alice", "queen")).isEqualTo(5);
            }
        }
    }

    @Test
    void theJwtExample() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        Path pem = dir.resolve("jwt.pub");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (Broker broker = start(examples.get(1).replace("/etc/courtier/jwt.pub", pem.toString()))) {
            var claims = Tokens.claims("alice", 600, null).issuer("https://id.example.com").audience("mqtt").build();
            assertThat(pub(broker, "alice", Tokens.rs256(key, claims))).isZero();
            assertThat(pub(broker, "alice", "secret")).isEqualTo(5);
        }
    }

    @Test
    void thePluginExample() throws Exception {
        Path jar = TestPlugins.jar(dir, TestPlugins.Quiet.class);
        String example = examples.get(2).replaceAll("/opt/courtier/plugins/\\S+\\.jar", jar.toString());
        try (Broker broker = start(example)) {
            assertThat(pub(broker, "alice", "secret")).isEqualTo(5); // the plugin defers: nobody else allows
        }
    }
}
