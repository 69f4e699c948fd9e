package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ParsedConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courtier broker -c FILE}: bad files stop it with FILE:LINE and exit 1; {@code -p} as mosquitto. */
class BrokerCommandConfigTest {

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Runs the command line in-process and returns exit code and stderr. */
    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    record Result(int code, String stderr) {
    }

    @Test
    void badConfigExitsOneWithFileAndLine() throws Exception {
        Path bad = write("bad.conf", "listener 0\nallow_anonymous true\nmax_qos 3\n");
        Result r = run("broker", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("Error: " + bad + ":3: Invalid max_qos value (3): must be between 0 and 2."
                + System.lineSeparator());
    }

    @Test
    void unknownDirectiveExitsOneWithoutCommandWord() throws Exception {
        // `courtier -c FILE` is `courtier broker -c FILE`, as `mosquitto -c FILE`.
        Path bad = write("bad.conf", "listener 0\n\nfoo bar\n");
        Result r = run("-c", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.stderr()).contains("bad.conf:3: Unknown configuration variable \"foo\".");
    }

    @Test
    void missingConfigFileExitsOne() {
        Result r = run("broker", "-c", tmp.resolve("nope.conf").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.stderr()).contains("Unable to open config file " + tmp.resolve("nope.conf"));
    }

    @Test
    void portFlagMovesTheLocalOnlyListeners() throws Exception {
        BrokerCommand cmd = new BrokerCommand();
        cmd.configFile = write("local.conf", "sys_interval 5\n");
        cmd.port = 1999;
        ParsedConfig p = cmd.configure();
        assertThat(p.config().localOnly()).isTrue();
        assertThat(p.config().listeners()).extracting(ListenerConfig::port).containsOnly(1999);
        assertThat(p.config().sysInterval()).isEqualTo(5);
        assertThat(cmd.ignoredPort).isFalse();
    }

    @Test
    void portFlagIsIgnoredWhenTheFileDefinesListeners() throws Exception {
        // mosquitto 2.0.11 -c file-with-listener -p N opens only the file's listeners.
        BrokerCommand cmd = new BrokerCommand();
        cmd.configFile = write("lan.conf", "listener 1884\nlistener 1885\n");
        cmd.port = 1999;
        ParsedConfig p = cmd.configure();
        assertThat(p.config().listeners()).extracting(ListenerConfig::port).containsExactly(1884, 1885);
        assertThat(cmd.ignoredPort).isTrue();
    }

    @Test
    void portFlagWithoutFileIsLocalOnly() throws Exception {
        BrokerCommand cmd = new BrokerCommand();
        cmd.port = 1999;
        ParsedConfig p = cmd.configure();
        assertThat(p.config().localOnly()).isTrue();
        assertThat(p.config().listeners()).extracting(ListenerConfig::bindAddress).containsExactly("127.0.0.1", "::1");
    }
}
