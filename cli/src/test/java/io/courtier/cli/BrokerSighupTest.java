package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courtier broker} in its own process: SIGHUP reloads and keeps the clients connected. */
class BrokerSighupTest {

    @TempDir
    Path dir;

    @Test
    void sighupReloadsWithoutDroppingClients() throws Exception {
        PasswdCommandTest.require("kill");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("courtier.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        Path log = dir.resolve("broker.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process broker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "broker", "-c", conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                }
            });
            MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "stays", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setAutomaticReconnect(false);
            client.connect(o);
            List<String> got = new CopyOnWriteArrayList<>();
            client.subscribe("t", 1, (t, m) -> got.add(new String(m.getPayload())));

            Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(broker.pid())).start();
            assertThat(kill.waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log)
                    .contains("Reloading password and ACL files."));

            assertThat(broker.isAlive()).isTrue();
            assertThat(client.isConnected()).isTrue();
            client.publish("t", "after reload".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("after reload"));
            client.disconnect();
            client.close();
        } finally {
            broker.destroy(); // SIGTERM: a clean stop
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(broker.exitValue()).isZero();
    }
}
