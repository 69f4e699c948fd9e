package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier --test-config -c FILE} (Mosquitto 2.1's flag): reads the file, its include_dir
 * files and the files they name, prints each problem as {@code FILE:LINE: message}, exits 0 or 1,
 * and binds nothing (the listener's port is held by the test the whole time).
 */
class TestConfigFlagTest {

    @TempDir
    Path tmp;

    record Result(int code, String stdout, String stderr) {
    }

    private static Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private Path write(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void aGoodFileWithIncludesAndItsFilesIsOkAndNoPortIsOpened() throws Exception {
        Path passwords = tmp.resolve("passwd");
        assertThat(Main.run("passwd", "-c", "-b", passwords.toString(), "sensor", "s3cret")).isZero();
        Path acl = write("acl", "user sensor", "topic readwrite sensors/#");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            write("conf.d/listeners.conf",
                    "listener " + taken.getLocalPort() + " 127.0.0.1",
                    "accept_protocol_versions 4, 5",
                    "listener_allow_anonymous false");
            Path conf = write("mosquitto.conf",
                    "password_file " + passwords,
                    "acl_file " + acl,
                    "global_max_clients 100",
                    "include_dir " + tmp.resolve("conf.d"));
            for (String[] args : new String[][] {{"--test-config", "-c", conf.toString()},
                    {"broker", "-c", conf.toString(), "--test-config"}}) {
                Result r = run(args);
                assertThat(r.code()).as(r.stderr()).isZero();
                assertThat(r.stdout()).isEqualTo(conf + ": configuration OK." + System.lineSeparator());
                assertThat(r.stderr()).doesNotContain("Error");
            }
        }
    }

    @Test
    void aBadFileReportsEveryWrongLineOfEveryFileAndExitsOne() throws Exception {
        write("conf.d/bad.conf", "listener 0", "enable_proxy_protocol 3", "no_such_directive 1");
        Path conf = write("mosquitto.conf",
                "listener 0",
                "max_qos 3",
                "password_file " + tmp.resolve("missing-passwd"),
                "include_dir " + tmp.resolve("conf.d"));
        Result r = run("--test-config", "-c", conf.toString());
        assertThat(r.code()).isEqualTo(1);
        Path bad = tmp.resolve("conf.d").resolve("bad.conf");
        assertThat(r.stderr().lines().toList()).containsExactly(
                "Error: " + conf + ":2: Invalid max_qos value (3): must be between 0 and 2.",
                "Error: " + conf + ":3: Unable to open password_file \"" + tmp.resolve("missing-passwd")
                        + "\": no such file.",
                "Error: " + bad + ":2: Invalid enable_proxy_protocol value (3): must be between 1 and 2.",
                "Error: " + bad + ":3: Unknown configuration variable \"no_such_directive\".");
        assertThat(r.stdout()).contains("4 error(s) found.");
    }

    @Test
    void theFilesItNamesAreReadAsTheBrokerWouldReadThem() throws Exception {
        Path acl = write("acl", "topic readwrite ok/#", "topic sideways nope/#");
        Path notACertificate = write("server.crt", "this is not PEM");
        Path key = write("server.key", "nor is this");
        Path conf = write("tls.conf",
                "acl_file " + acl,
                "listener 0",
                "allow_anonymous true",
                "listener 0",
                "certfile " + notACertificate,
                "keyfile " + key,
                "listener 0",
                "bind_interface courtier-no-such-if0");
        Result r = run("--test-config", "-c", conf.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error: " + acl + ":2: ")
                .contains("Error: " + conf + ":4: listener on port 0: Unable to load server certificate \""
                        + notACertificate + "\"")
                .contains("Error: " + conf + ":7: listener on port 0: Unable to find interface courtier-no-such-if0");
    }
}
