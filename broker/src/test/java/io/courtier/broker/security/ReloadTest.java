package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.testkit.Paho;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Broker#reload()}, what SIGHUP runs: new files apply, connections stay. */
class ReloadTest {

    @TempDir
    Path dir;

    private static String line(String user, String password) {
        return user + ":" + PasswordHash.createPbkdf2(password, 101) + "\n";
    }

    @Test
    void newPasswordsAndAclApplyWithoutDroppingConnections() throws Exception {
        Path pw = dir.resolve("pw");
        Path acl = dir.resolve("acl");
        Files.writeString(pw, line("alice", "a1") + line("reader", "r"));
        Files.writeString(acl, "user alice\ntopic write news/#\nuser reader\ntopic read news/#\n");
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withPasswordFile(pw).withAclFile(acl);
        try (Broker broker = Broker.start(b.build(), "test")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            MqttClient alice = Paho.connect(uri, "alice", "alice", "a1");
            MqttClient reader = Paho.connect(uri, "reader", "reader", "r");
            List<String> got = Paho.record(reader, "#");
            alice.publish("news/1", "before".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/1 before"));

            // alice's password changes, bob arrives, and reader may no longer read news/secret
            Files.writeString(pw, line("alice", "a2") + line("reader", "r") + line("bob", "b"));
            Files.writeString(acl, "user alice\ntopic write news/#\nuser reader\ntopic deny news/secret\n"
                    + "topic read news/#\n");
            assertThat(broker.reload()).isTrue();

            assertThat(alice.isConnected()).isTrue();
            assertThat(reader.isConnected()).isTrue();
            alice.publish("news/secret", "hidden".getBytes(), 1, false);
            alice.publish("news/2", "after".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/2 after"));
            assertThat(got).containsExactly("news/1 before", "news/2 after");
            assertThat(Paho.connackCode(uri, "alice-old", "alice", "a1"))
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
            assertThat(Paho.connackCode(uri, "alice-new", "alice", "a2")).isZero();
            assertThat(Paho.connackCode(uri, "bob", "bob", "b")).isZero();

            // and reading news/secret allowed again: the open subscription receives it at once
            Files.writeString(acl, "user alice\ntopic write news/#\nuser reader\ntopic read news/#\n");
            assertThat(broker.reload()).isTrue();
            alice.publish("news/secret", "visible".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/secret visible"));
            assertThat(got).containsExactly("news/1 before", "news/2 after", "news/secret visible");

            // a broken file on reload: the rules in force stay
            Files.writeString(acl, "this is not an acl\n");
            assertThat(broker.reload()).isFalse();
            assertThat(Paho.connackCode(uri, "bob2", "bob", "b")).isZero();
            alice.publish("news/3", "still".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("news/3 still"));
            Paho.closeQuietly(alice, reader);
        }
    }
}
