package io.courtier.broker.persistence;

import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.durable;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session restored at start-up does not know its user until the client comes back; what is
 * queued for it meanwhile must still obey the ACL when it is finally sent.
 */
class RestoredSessionAclTest {

    @TempDir
    Path tmp;

    @Test
    void messagesQueuedForARestoredSessionAreCheckedAgainstItsUsersAcl() throws Exception {
        Path passwords = tmp.resolve("passwd");
        Files.writeString(passwords, "alice:" + PasswordHash.createPbkdf2("secret", 101) + "\n");
        Path acl = tmp.resolve("acl");
        Files.writeString(acl, """
                # anonymous clients publish anywhere
                topic write #
                user alice
                topic read allowed/#
                """);
        BrokerConfig.Builder b = durable(tmp);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(true).withPasswordFile(passwords).withAclFile(acl);
        BrokerConfig config = b.build();
        MqttConnectOptions alice = options(false);
        alice.setUserName("alice");
        alice.setPassword("secret".toCharArray());
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient sub = client(broker.port(), "alice-phone");
            sub.connect(alice);
            sub.subscribe("#", 1); // granted, as Mosquitto does; reads are checked per message
            sub.disconnect();
            sub.close();
        }
        try (Broker broker = Broker.start(config, "test")) {
            MqttClient pub = client(broker.port(), "sensor");
            pub.connect(options(true));
            pub.publish("secret/1", "hidden".getBytes(StandardCharsets.UTF_8), 1, false);
            pub.publish("allowed/1", "shown".getBytes(StandardCharsets.UTF_8), 1, false);
            pub.disconnect();
            pub.close();

            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port(), "alice-phone");
            sub.setCallback(got);
            sub.connect(alice);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.count("allowed/1=shown") == 1);
            // Anything after allowed/1 in the queue has been sent by now; secret/1 came first.
            assertThat(got.all).containsExactly("allowed/1=shown");
            sub.disconnect();
            sub.close();
        }
    }
}
