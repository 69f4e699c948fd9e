package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
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

/**
 * {@code courtier broker} in its own process: SIGHUP reloads the configuration file, the
 * password file and the log file, and keeps the clients connected.
 */
class BrokerSighupTest {

    @TempDir
    Path dir;

    /** Like Paho's connect, but answers the CONNACK code (0: accepted). */
    private static int connack(int port, String clientId, String user, String password) {
        try {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(user);
            o.setPassword(password.toCharArray());
            c.connect(o);
            c.disconnect();
            c.close();
            return 0;
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            return e.getReasonCode();
        }
    }

    private static int anonymousConnack(int port) {
        try {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "anonymous", new MemoryPersistence());
            c.connect();
            c.disconnect();
            c.close();
            return 0;
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void sighupReloadsWithoutDroppingClients() throws Exception {
        External.require("kill");
        int port = External.freePort();
        Path passwords = dir.resolve("passwords");
        assertThat(PasswdCommand.run(List.of("-c", "-b", "-I", "101", passwords.toString(), "alice", "a"),
                System.in, System.out, System.err)).isZero();
        Path conf = dir.resolve("courtier.conf");
        Path logFile = dir.resolve("courtier.log");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npassword_file " + passwords
                + "\nlog_dest file " + logFile + "\n");
        Path log = dir.resolve("broker.out");
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

            assertThat(connack(port, "bob-before", "bob", "b")).isEqualTo(5);

            // logrotate moves the log away; a new user is added; anonymous clients are no longer
            // welcome (mosquitto.conf itself is read again, as Mosquitto does)
            Files.move(logFile, dir.resolve("courtier.log.1"));
            Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file "
                    + passwords + "\nlog_dest file " + logFile + "\n");
            assertThat(PasswdCommand.run(List.of("-b", "-I", "101", passwords.toString(), "bob", "b"),
                    System.in, System.out, System.err)).isZero();
            Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(broker.pid())).start();
            assertThat(kill.waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(logFile)
                    && Files.readString(logFile).contains("Reloading config."));
            // The line is logged as the reload starts (as Mosquitto does), before the files are
            // read: what says the reload is done is bob's login working, so wait for that.
            await().atMost(Duration.ofSeconds(10)).until(() -> connack(port, "bob-after", "bob", "b") == 0);
            assertThat(connack(port, "alice", "alice", "a")).isZero();
            assertThat(anonymousConnack(port)).as("allow_anonymous false, reloaded").isEqualTo(5);

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
