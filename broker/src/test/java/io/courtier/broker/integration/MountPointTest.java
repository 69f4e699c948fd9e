package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.Paho;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mount_point}: what clients of a mounted listener publish lands under the prefix, what
 * they subscribe to is looked for under it, and what they receive comes without it (as the
 * manual says; Mosquitto 2.0.11 forgets that last step, its issue #2244). Paho clients on two
 * listeners of one broker, one mounted on {@code tenant/}.
 */
class MountPointTest {

    @TempDir
    Path tmp;
    Broker broker;
    int mounted;
    int plain;
    final List<MqttClient> clients = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path conf = tmp.resolve("mount.conf");
        Files.writeString(conf, String.join("\n", "allow_anonymous true", "listener 0 127.0.0.1",
                "mount_point tenant/", "listener 0 127.0.0.1", ""));
        broker = Broker.start(ConfigParser.parse(conf).config(), "test");
        mounted = broker.boundAddresses().get(0).getPort();
        plain = broker.boundAddresses().get(1).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
        broker.close();
    }

    private MqttClient client(int port, String id, Paho.Inbox inbox) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, null);
        clients.add(c);
        if (inbox != null) {
            c.setCallback(inbox);
        }
        c.connect(Paho.options());
        return c;
    }

    /** "topic=payload" for each message received. */
    private static List<String> seen(Paho.Inbox inbox) {
        return inbox.messages().stream().map(r -> r.topic() + "=" + r.payload()).toList();
    }

    @Test
    void aMountedListenerLivesUnderItsPrefix() throws Exception {
        Paho.Inbox outside = new Paho.Inbox();
        Paho.Inbox inside = new Paho.Inbox();
        Paho.Inbox shared = new Paho.Inbox();
        client(plain, "outside", outside).subscribe("#", 1);
        client(mounted, "inside", inside).subscribe("#", 1);
        client(mounted, "shared", shared).subscribe("$share/g/a/#", 1);

        client(mounted, "tenant-pub", null).publish("a/b", "from-inside".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttClient outsidePub = client(plain, "plain-pub", null);
        outsidePub.publish("tenant/a/c", "into-tenant".getBytes(StandardCharsets.UTF_8), 1, false);
        outsidePub.publish("elsewhere", "not-for-tenant".getBytes(StandardCharsets.UTF_8), 1, false);

        await().until(() -> outside.size() == 3 && inside.size() == 2 && shared.size() == 2);
        assertThat(seen(outside)).containsExactlyInAnyOrder("tenant/a/b=from-inside", "tenant/a/c=into-tenant",
                "elsewhere=not-for-tenant");
        assertThat(seen(inside)).containsExactlyInAnyOrder("a/b=from-inside", "a/c=into-tenant");
        assertThat(seen(shared)).containsExactlyInAnyOrder("a/b=from-inside", "a/c=into-tenant");
    }

    @Test
    void retainedMessagesAndWillsAreMountedToo() throws Exception {
        MqttClient pub = client(mounted, "retainer", null);
        pub.publish("r", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
        Paho.Inbox outside = new Paho.Inbox();
        client(plain, "outside-r", outside).subscribe("tenant/#", 1);
        Paho.Inbox inside = new Paho.Inbox();
        client(mounted, "inside-r", inside).subscribe("r", 1);
        await().until(() -> outside.size() == 1 && inside.size() == 1);
        assertThat(seen(outside)).containsExactly("tenant/r=kept");
        assertThat(seen(inside)).containsExactly("r=kept");

        MqttClient dying = new MqttClient("tcp://127.0.0.1:" + mounted, "dying", null);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setWill("w", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        dying.connect(o);
        dying.disconnectForcibly(0, 0, false); // no DISCONNECT: the will goes out
        dying.close();
        await().until(() -> seen(outside).contains("tenant/w=gone"));
    }
}
