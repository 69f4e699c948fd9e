package io.courtier.broker.security.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.External;
import io.courtier.broker.security.SecurityFileException;
import io.courtier.broker.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that throws or hangs costs its clients a refusal and the log one line; the broker and
 * the clients the chain's earlier links accept go on. The chain's order: the password file
 * answers before any plugin.
 */
class PluginContainmentTest {

    @TempDir
    Path dir;

    private Broker broker;
    private Path passwords;

    @BeforeEach
    void passwordFile() {
        passwords = dir.resolve("passwords");
        assertThat(External.run(List.of("mosquitto_passwd", "-c", "-b", passwords.toString(), "local", "pw"))
                .exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private Path conf(String... lines) throws Exception {
        List<String> all = new ArrayList<>(List.of("listener 0", "allow_anonymous false", "password_file " + passwords));
        all.addAll(List.of(lines));
        Path conf = dir.resolve("test.conf");
        Files.write(conf, all, StandardCharsets.UTF_8);
        return conf;
    }

    private int pub(String user, String password) {
        return External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-u", user, "-P", password, "-t", "t", "-m", "x")).exitCode();
    }

    @Test
    void aThrowingPluginDeniesWithOneLogLineAndNoTrace() throws Exception {
        try (LogCapture log = LogCapture.broker()) {
            broker = Broker.start(ConfigParser.parse(conf("plugin " + TestPlugins.jar(dir, TestPlugins.Throwing.class)))
                    .config(), "test");
            assertThat(pub("local", "pw")).isZero(); // the password file answers first
            assertThat(pub("stranger", "pw")).isEqualTo(5);
            assertThat(log.messages()).filteredOn(m -> m.contains("Plugin throwing.jar failed on authenticate"))
                    .hasSize(1).allSatisfy(m -> assertThat(m).contains("plugin bug").endsWith("denied."));
            assertThat(log.anyThrowable()).isFalse();
        }
    }

    @Test
    void aHangingPluginTimesOutWhileOthersAreServed() throws Exception {
        try (LogCapture log = LogCapture.broker()) {
            broker = Broker.start(ConfigParser.parse(conf("plugin " + TestPlugins.jar(dir, TestPlugins.Hanging.class),
                    "plugin_timeout 2")).config(), "test");
            CompletableFuture<Integer> hung = CompletableFuture.supplyAsync(() -> pub("stranger", "pw"));
            assertThat(pub("local", "pw")).isZero();
            assertThat(hung.get()).isEqualTo(5);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.contains("Plugin hanging.jar did not answer authenticate"));
            assertThat(pub("local", "pw")).isZero(); // still serving after the timeout
        }
    }

    @Test
    void aPluginObservesConnectionsAndMessages() throws Exception {
        TestPlugins.Observing.EVENTS.clear();
        broker = Broker.start(ConfigParser.parse(conf("plugin " + TestPlugins.jar(dir, TestPlugins.Observing.class)))
                .config(), "test");
        assertThat(External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-i", "watched", "-u", "anyone", "-P", "x", "-t", "seen/here", "-m", "hello", "-q", "1", "-r"))
                .exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestPlugins.Observing.EVENTS.size() == 3);
        assertThat(TestPlugins.Observing.EVENTS).containsExactlyInAnyOrder("connected watched anyone",
                "published watched seen/here hello q1 r", "disconnected watched");
    }

    @Test
    void aPluginThatRefusesToStartStopsStartUpWithItsLine() throws Exception {
        Path conf = conf("plugin " + TestPlugins.jar(dir, TestPlugins.Picky.class), "plugin_opt_other 1");
        assertThatThrownBy(() -> Broker.start(ConfigParser.parse(conf).config(), "test"))
                .isInstanceOf(SecurityFileException.class)
                .hasMessageStartingWith(conf + ":4: plugin ")
                .hasMessageContaining("plugin_opt_required is missing");
    }
}
