package io.courtier.broker.security.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.External;
import io.courtier.broker.security.SecurityFileException;
import io.courtier.testkit.Paho;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jwt backend with tokens signed in the test (nimbus-jose-jwt) by each algorithm and key
 * source, driven by Debian's mosquitto_pub and Paho: what is accepted, what is refused, the ACL
 * a token carries, and the disconnection when a token expires.
 */
class JwtBackendTest {

    private static final String SECRET = "a shared secret of at least 32 bytes!";

    @TempDir
    Path dir;

    private Broker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(Paho::closeQuietly);
        if (broker != null) {
            broker.close();
        }
    }

    private void start(String... jwtLines) throws Exception {
        List<String> lines = new ArrayList<>(List.of("listener 0", "allow_anonymous false",
                "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so", "auth_opt_backends jwt"));
        lines.addAll(List.of(jwtLines));
        Path conf = dir.resolve("mosquitto.conf");
        Files.write(conf, lines, StandardCharsets.UTF_8);
        broker = Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    private int connect(String user, String token) {
        External.Result r = External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-u", user, "-P", token, "-t", "t", "-m", "x"));
        return r.exitCode();
    }

    private MqttClient paho(String clientId, String user, String token, Paho.Inbox inbox) throws MqttException {
        return Logins.paho(broker, clientId, user, token, inbox, clients);
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void hs256WithASharedSecret() throws Exception {
        start("auth_opt_jwt_secret " + SECRET);
        assertThat(connect("alice", Tokens.hs256(SECRET, "alice", 600, null))).isZero();
        assertThat(connect("alice", Tokens.hs256(SECRET + "?", "alice", 600, null))).isEqualTo(5);
        // A token issued to alice is not bob's password.
        assertThat(connect("bob", Tokens.hs256(SECRET, "alice", 600, null))).isEqualTo(5);
        assertThat(connect("alice", "not a token")).isEqualTo(5);
    }

    @Test
    void rs256WithAPemPublicKeyAndItsChecks() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        Path pem = dir.resolve("jwt.pub");
        Files.writeString(pem, pem(key.toRSAPublicKey()));
        start("auth_opt_jwt_public_key " + pem, "auth_opt_jwt_issuer https://id.example",
                "auth_opt_jwt_audience mqtt");
        JWTClaimsSet good = Tokens.claims("alice", 600, null).issuer("https://id.example").audience("mqtt").build();
        assertThat(connect("alice", Tokens.rs256(key, good))).isZero();

        long now = System.currentTimeMillis();
        JWTClaimsSet expired = new JWTClaimsSet.Builder(good).expirationTime(new Date(now - 600_000)).build();
        JWTClaimsSet notYet = new JWTClaimsSet.Builder(good).notBeforeTime(new Date(now + 600_000)).build();
        JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder(good).issuer("https://evil.example").build();
        JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(good).audience("web").build();
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder(good).expirationTime(null).build();
        for (JWTClaimsSet bad : List.of(expired, notYet, otherIssuer, otherAudience, noExpiry)) {
            assertThat(connect("alice", Tokens.rs256(key, bad))).as(bad.toString()).isEqualTo(5);
        }
        String tampered = Tokens.tampered(Tokens.rs256(key, good), json -> json.replace("alice", "admin"));
        assertThat(connect("admin", tampered)).isEqualTo(5);
        // A token signed by another key, or with HS256 using the public key as a secret, is refused.
        assertThat(connect("alice", Tokens.rs256(new RSAKeyGenerator(2048).generate(), good))).isEqualTo(5);
    }

    @Test
    void es256FromAJwksFile() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        start("auth_opt_jwt_jwks " + jwks);
        assertThat(connect("alice", Tokens.es256(key, Tokens.claims("alice", 600, null).build()))).isZero();
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        assertThat(connect("alice", Tokens.es256(other, Tokens.claims("alice", 600, null).build()))).isEqualTo(5);
    }

    @Test
    void theTokensAclClaimDecidesReadAndWrite() throws Exception {
        start("auth_opt_jwt_secret " + SECRET, "auth_opt_jwt_acl_claim acl");
        String token = Tokens.hs256(SECRET, "alice", 600,
                Map.of("read", List.of("room/+/temp"), "write", List.of("room/1/temp", "room/2/#")));
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient c = paho("alice-1", "alice", token, inbox);
        assertThat(c.subscribeWithResponse(new String[] {"room/+/temp", "secret/#"}, new int[] {1, 1})
                .getGrantedQos()).containsExactly(1, 0x80);
        c.publish("room/2/temp", "written, read".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("room/3/temp", "not written".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("room/1/temp", "last".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.payloads().contains("last"));
        assertThat(inbox.payloads()).containsExactly("written, read", "last");
    }

    @Test
    void theTokenMayBeTheUserName() throws Exception {
        start("auth_opt_jwt_secret " + SECRET, "auth_opt_jwt_token_from username");
        assertThat(connect(Tokens.hs256(SECRET, "alice", 600, null), "ignored")).isZero();
        assertThat(connect("alice", Tokens.hs256(SECRET, "alice", 600, null))).isEqualTo(5);
    }

    @Test
    void aKeyThatCannotBeUsedStopsStartUpWithItsLine() throws Exception {
        Path pem = dir.resolve("broken.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n");
        Path conf = dir.resolve("mosquitto.conf");
        assertThatThrownBy(() -> start("auth_opt_jwt_public_key " + pem))
                .isInstanceOf(SecurityFileException.class)
                .hasMessageStartingWith(conf + ":5: the JWT key cannot be read");
        assertThatThrownBy(() -> start("auth_opt_jwt_secret short"))
                .isInstanceOf(SecurityFileException.class)
                .hasMessage(conf + ":5: auth_opt_jwt_secret must be at least 32 bytes (256 bits) for HS256.");
    }

    @Test
    void aClientIsDisconnectedWhenItsTokenExpires() throws Exception {
        start("auth_opt_jwt_secret " + SECRET);
        try (io.courtier.broker.testing.LogCapture log = io.courtier.broker.testing.LogCapture.broker()) {
            Paho.Inbox inbox = new Paho.Inbox();
            MqttClient c = paho("short-lived", "alice", Tokens.hs256(SECRET, "alice", 5, null), inbox);
            assertThat(c.isConnected()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(inbox::connectionLost);
            assertThat(log.contains("Client short-lived disconnected, its credentials expired.")).isTrue();
        }
    }
}
