package io.courtier.broker.security.dynsec;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.External;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Files, brokers and Debian's programs for the dynamic security tests. */
final class DynsecFixtures {
    private DynsecFixtures() {
    }

    /**
     * {@code mosquitto_ctrl dynsec init DIR/NAME.json admin adminpw}, in a directory the
     * {@code mosquitto} user may write (Debian's broker drops to it when started as root).
     */
    static Path initWithMosquittoCtrl(Path tmp, String name) throws Exception {
        // Debian's broker runs as user mosquitto: it must reach the file and write beside it.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = dir.resolve("dynamic-security.json");
        External.Result r = External.run("mosquitto_ctrl", "dynsec", "init", file.toString(), "admin",
                "adminpw");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        return file;
    }

    /** The two lines a mosquitto.conf turns the plugin on with, unchanged for Courtier. */
    static String[] pluginLines(Path file) {
        return new String[] {"plugin " + MosquittoBroker.DYNSEC_PLUGIN, "plugin_opt_config_file " + file};
    }

    /** Courtier started from a configuration file with those lines, on a free port. */
    static Broker courtier(Path tmp, Path file, String... more) throws Exception {
        int port = MosquittoBroker.freePort();
        List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1"));
        lines.addAll(List.of(pluginLines(file)));
        lines.addAll(List.of(more));
        Path conf = Files.writeString(tmp.resolve("courtier-" + port + ".conf"), String.join("\n", lines) + "\n");
        return Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    static External.Result ctrl(int port, String user, String password, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-u", user, "-P",
                password, "dynsec"));
        args.addAll(List.of(command));
        return External.run("mosquitto_ctrl", args.toArray(String[]::new));
    }

    /** One request through mosquitto_rr; the response payload, or what mosquitto_rr said instead. */
    static String request(int port, String user, String password, String json) throws Exception {
        External.Result r = External.run("mosquitto_rr", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-u", user, "-P", password, "-t", DynamicSecurity.TOPIC, "-e", DynamicSecurity.RESPONSE_TOPIC,
                "-W", "5", "-m", json);
        return r.exitCode() == 0 ? r.stdout().strip() : "rc=" + r.exitCode() + " " + r.stderr().strip();
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
