package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.testkit.Paho;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may connect and what they see, through a real broker and Paho v3. The expectations were
 * taken from Debian's mosquitto 2.0.11 given the same files (README, "ACL").
 */
class AuthMatrixTest {

    @TempDir
    Path dir;

    private static final int NOT_AUTHORISED = MqttException.REASON_CODE_NOT_AUTHORIZED; // CONNACK 0x05

    private Path passwords(String... userPassword) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < userPassword.length; i += 2) {
            sb.append(userPassword[i]).append(':').append(PasswordHash.createPbkdf2(userPassword[i + 1], 101))
                    .append('\n');
        }
        Path file = dir.resolve("passwords");
        Files.writeString(file, sb.toString());
        return file;
    }

    private static String uri(Broker b, int i) {
        return "tcp://127.0.0.1:" + b.boundAddresses().get(i).getPort();
    }

    @Test
    void perListenerAnonymousAndPasswords() throws Exception {
        Path pw = passwords("sondes", "mot2passe");
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.listeners(List.of(
                ListenerConfig.mqtt(0, "127.0.0.1").withSecurity(SecurityConfig.DEFAULT.withAllowAnonymous(true)),
                ListenerConfig.mqtt(0, "127.0.0.1").withSecurity(SecurityConfig.DEFAULT.withAllowAnonymous(false)
                        .withPasswordFile(pw)),
                ListenerConfig.mqtt(0, "127.0.0.1").withSecurity(SecurityConfig.DEFAULT)));
        b.perListenerSettings = true;
        try (Broker broker = Broker.start(b.build(), "test")) {
            String open = uri(broker, 0);
            String locked = uri(broker, 1);
            String unset = uri(broker, 2);
            assertThat(Paho.connackCode(open, "a1", null, null)).isZero();
            assertThat(Paho.connackCode(open, "a2", "anyone", "anything")).as("no password file: any name").isZero();
            assertThat(Paho.connackCode(locked, "b1", null, null)).isEqualTo(NOT_AUTHORISED);
            assertThat(Paho.connackCode(locked, "b2", "sondes", "mot2passe")).isZero();
            assertThat(Paho.connackCode(locked, "b3", "sondes", "wrong")).isEqualTo(NOT_AUTHORISED);
            assertThat(Paho.connackCode(locked, "b4", "sondes", null)).isEqualTo(NOT_AUTHORISED);
            assertThat(Paho.connackCode(locked, "b5", "nobody", "mot2passe")).isEqualTo(NOT_AUTHORISED);
            // Mosquitto 2: once a listener is configured, allow_anonymous defaults to false, and a
            // user name without a password file does not help.
            assertThat(Paho.connackCode(unset, "c1", null, null)).isEqualTo(NOT_AUTHORISED);
            assertThat(Paho.connackCode(unset, "c2", "anyone", "x")).isEqualTo(NOT_AUTHORISED);
        }
    }

    @Test
    void globalPasswordFileWithAnonymousAllowed() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(true).withPasswordFile(passwords("u", "p"));
        try (Broker broker = Broker.start(b.build(), "test")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            assertThat(Paho.connackCode(uri, "x1", null, null)).isZero();
            assertThat(Paho.connackCode(uri, "x2", "u", "p")).isZero();
            assertThat(Paho.connackCode(uri, "x3", "u", "bad")).isEqualTo(NOT_AUTHORISED);
        }
    }

    @Test
    void slowHashesAreCheckedOffTheEventLoopAndStillDecide() throws Exception {
        Path file = dir.resolve("slow");
        Files.writeString(file, "slow:" + PasswordHash.createPbkdf2("pw", 20_000) + "\n");
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withPasswordFile(file);
        try (Broker broker = Broker.start(b.build(), "test")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            MqttClient c = Paho.connect(uri, "s1", "slow", "pw");
            List<String> got = Paho.record(c, "t");
            c.publish("t", "pipelined".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("t pipelined"));
            Paho.closeQuietly(c);
            assertThat(Paho.connackCode(uri, "s2", "slow", "nope")).isEqualTo(NOT_AUTHORISED);
        }
    }

    @Test
    void aclReadWriteDenyAndPatterns() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, String.join("\n",
                "# anonymous clients",
                "topic read public/#",
                "topic deny public/secret",
                "",
                "user alice",
                "topic readwrite alice/#",
                "topic read sensors/#",
                "topic deny sensors/private",
                "",
                "user writer",
                "topic write #",
                "",
                "pattern readwrite clients/%c/#",
                "pattern read users/%u/#") + "\n");
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(true)
                .withPasswordFile(passwords("alice", "a", "bob", "b", "writer", "w")).withAclFile(acl);
        try (Broker broker = Broker.start(b.build(), "test")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            MqttClient anon = Paho.connect(uri, "anon1", null, null);
            MqttClient alice = Paho.connect(uri, "acid", "alice", "a");
            MqttClient bob = Paho.connect(uri, "bcid", "bob", "b");
            MqttClient writer = Paho.connect(uri, "wcid", "writer", "w");
            // Every SUBSCRIBE is granted (SUBACK QoS 1 here, as from mosquitto): the ACL filters delivery.
            assertThat(anon.subscribeWithResponse("#", 1).getGrantedQos()).containsExactly(1);
            List<String> anonGot = Paho.record(anon, "#");
            List<String> aliceGot = Paho.record(alice, "#");
            List<String> bobGot = Paho.record(bob, "#");
            List<String> writerGot = Paho.record(writer, "#");
            for (String t : List.of("public/a", "public/secret", "alice/a", "sensors/y", "sensors/private",
                    "clients/anon1/a", "clients/acid/a", "users/bob/a", "users/alice/a", "other")) {
                writer.publish(t, "w".getBytes(), 1, false);
            }
            // A denied publish is acknowledged and dropped: bob may not write alice/a.
            bob.publish("alice/a", "from-bob".getBytes(), 1, false);
            // Markers each subscriber may read, published last: once they arrive, all else has.
            writer.publish("clients/anon1/end", "w".getBytes(), 1, false);
            writer.publish("alice/end", "w".getBytes(), 1, false);
            writer.publish("users/bob/end", "w".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> anonGot.contains("clients/anon1/end w")
                    && aliceGot.contains("alice/end w") && bobGot.contains("users/bob/end w"));
            assertThat(anonGot).containsExactly("public/a w", "clients/anon1/a w", "clients/anon1/end w");
            assertThat(aliceGot).containsExactly("alice/a w", "sensors/y w", "clients/acid/a w", "users/alice/a w",
                    "alice/end w");
            assertThat(bobGot).containsExactly("users/bob/a w", "users/bob/end w");
            assertThat(writerGot).as("write access is not read access").isEmpty();
            // alice may write her own topics and her client id's (pattern %c)
            alice.publish("alice/b", "mine".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> aliceGot.contains("alice/b mine"));
            assertThat(aliceGot).doesNotContain("alice/a from-bob");
            Paho.closeQuietly(anon, alice, bob, writer);
        }
    }

    @Test
    void aDeniedConnectIsASecurityExceptionNotATrace() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withPasswordFile(passwords("u", "p"));
        try (Broker broker = Broker.start(b.build(), "test")) {
            try {
                Paho.connect("tcp://127.0.0.1:" + broker.port(), "z", "u", "bad");
                throw new AssertionError("connected with a wrong password");
            } catch (MqttSecurityException e) {
                assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORISED);
            }
        }
    }
}
