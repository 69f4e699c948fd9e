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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check_retain_source} (true by default, as in Mosquitto): a retained message is sent to
 * a new subscriber only if its publisher may still write to its topic. alice publishes a
 * retained message, then the ACL takes her write access away; a new subscription gets the
 * message only when the check is off.
 */
class CheckRetainSourceTest {

    @TempDir
    Path dir;

    private static String line(String user, String password) {
        return user + ":" + PasswordHash.createPbkdf2(password, 101) + "\n";
    }

    @ParameterizedTest(name = "check_retain_source {0}")
    @ValueSource(booleans = {true, false})
    void aRetainedMessageFollowsItsPublishersWriteAccess(boolean check) throws Exception {
        Path pw = dir.resolve("pw");
        Path acl = dir.resolve("acl");
        Files.writeString(pw, line("alice", "a") + line("reader", "r"));
        Files.writeString(acl, "user alice\ntopic write r/#\nuser reader\ntopic read r/#\n");
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withPasswordFile(pw).withAclFile(acl);
        b.checkRetainSource = check;
        b.sysInterval = 0;
        try (Broker broker = Broker.start(b.build(), "test")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            MqttClient alice = Paho.connect(uri, "alice", "alice", "a");
            alice.publish("r/x", "kept".getBytes(), 1, true);
            MqttClient before = Paho.connect(uri, "before", "reader", "r");
            List<String> seenBefore = Paho.record(before, "r/#");
            await().atMost(Duration.ofSeconds(10)).until(() -> seenBefore.contains("r/x kept"));

            Files.writeString(acl, "user alice\ntopic read r/#\nuser reader\ntopic read r/#\n");
            assertThat(broker.reload()).isTrue();

            MqttClient after = Paho.connect(uri, "after", "reader", "r");
            List<String> seen = Paho.record(after, "r/#");
            after.subscribe("r/nothing", 1); // its SUBACK comes after the retained messages of r/#
            if (check) {
                assertThat(seen).isEmpty();
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("r/x kept"));
            }
            Paho.closeQuietly(alice, before, after);
        }
    }
}
