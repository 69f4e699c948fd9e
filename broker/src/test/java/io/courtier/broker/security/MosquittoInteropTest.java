package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.testkit.External;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Courtier given files made by Debian's tools answers Debian's clients as Debian's mosquitto
 * 2.0.11 does: the README's "password protected" example, and MQTT 5's reason codes.
 */
class MosquittoInteropTest {

    @TempDir
    Path dir;

    private Broker protectedBroker(Path acl) {
        Path pw = dir.resolve("passwords");
        assertThat(External.run(List.of("mosquitto_passwd", "-c", "-b", pw.toString(), "sondes", "mot2passe"))
                .exitCode()).isZero();
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0);
        b.security = SecurityConfig.DEFAULT.withAllowAnonymous(false).withPasswordFile(pw).withAclFile(acl);
        return Broker.start(b.build(), "test");
    }

    private static External.Result pub(Broker broker, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port())));
        cmd.addAll(List.of(args));
        return External.run(cmd);
    }

    @Test
    void passwordProtectedExampleFromTheReadme() {
        try (Broker broker = protectedBroker(null)) {
            assertThat(pub(broker, "-u", "sondes", "-P", "mot2passe", "-t", "ctrlled", "-m", "1").exitCode()).isZero();
            External.Result wrong = pub(broker, "-u", "sondes", "-P", "faux", "-t", "ctrlled", "-m", "1");
            assertThat(wrong.exitCode()).isEqualTo(5);
            assertThat(wrong.stderr()).contains("Connection Refused: not authorised.");
            External.Result anonymous = pub(broker, "-t", "ctrlled", "-m", "1");
            assertThat(anonymous.exitCode()).isEqualTo(5);
            External.Result v5 = pub(broker, "-V", "mqttv5", "-u", "sondes", "-P", "faux", "-t", "ctrlled", "-m", "1");
            assertThat(v5.stderr()).contains("Not authorized"); // CONNACK 0x87
        }
    }

    @Test
    void mqtt5DeniedPublishGetsNotAuthorizedAndDeniedSubscribeIsGranted() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user sondes\ntopic readwrite ctrlled\n");
        try (Broker broker = protectedBroker(acl)) {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), "v5", new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName("sondes");
            o.setPassword("mot2passe".getBytes());
            c.connect(o);
            IMqttToken sub = c.subscribe("forbidden/#", 1);
            assertThat(sub.getReasonCodes()).containsExactly(1); // granted, as mosquitto 2.0.11 does
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("ctrlled", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                            (t, m) -> got.add(new String(m.getPayload()))});
            // PUBACK / PUBREC carry 0x87 for a denied topic in MQTT 5 (0 in 3.1.1: see AuthMatrixTest)
            External.Result q1 = pub(broker, "-V", "mqttv5", "-u", "sondes", "-P", "mot2passe", "-q", "1", "-d",
                    "-t", "forbidden/a", "-m", "x");
            assertThat(q1.stdout()).contains("received PUBACK (Mid: 1, RC:135)");
            External.Result q2 = pub(broker, "-V", "mqttv5", "-u", "sondes", "-P", "mot2passe", "-q", "2", "-d",
                    "-t", "forbidden/a", "-m", "x");
            assertThat(q2.stderr()).contains("Publish 1 failed: Not authorized.");
            assertThat(q2.stdout()).doesNotContain("PUBREL");
            External.Result v3 = pub(broker, "-u", "sondes", "-P", "mot2passe", "-q", "1", "-d",
                    "-t", "forbidden/a", "-m", "x");
            assertThat(v3.stdout()).contains("received PUBACK (Mid: 1, RC:0)");
            c.publish("ctrlled", new MqttMessage("1".getBytes()));
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("1"));
            c.disconnect();
            c.close();

            MqttClient bad = new MqttClient("tcp://127.0.0.1:" + broker.port(), "v5bad", new MemoryPersistence());
            MqttConnectionOptions wrong = new MqttConnectionOptions();
            wrong.setUserName("sondes");
            wrong.setPassword("faux".getBytes());
            assertThatThrownBy(() -> bad.connect(wrong))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
            bad.close();
        }
    }
}
