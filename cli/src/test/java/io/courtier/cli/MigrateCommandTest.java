package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier migrate FILE}: imports a mosquitto.db written by Debian's mosquitto 2.0.11,
 * offline, and prints the counts; {@code --dry-run} prints them and changes nothing.
 */
class MigrateCommandTest {

    @TempDir
    Path tmp;

    /** mosquitto with persistence: one retained message, one offline persistent session with two queued. */
    private Path mosquittoDb() throws Exception {
        External.require("mosquitto_pub");
        External.require("mosquitto_sub");
        try (MosquittoBroker m = MosquittoBroker.start(tmp, "persistence true", "persistence_location " + tmp + "/")) {
            String p = Integer.toString(m.port());
            run("mosquitto_pub", "-p", p, "-t", "status", "-m", "up", "-r", "-q", "1");
            run("mosquitto_sub", "-p", p, "-i", "keeper", "-c", "-t", "work/#", "-q", "1", "-E");
            run("mosquitto_pub", "-p", p, "-t", "work/1", "-m", "one", "-q", "1");
            run("mosquitto_pub", "-p", p, "-t", "work/2", "-m", "two", "-q", "1");
            m.stop(); // SIGTERM: mosquitto writes its database as it ends
        }
        return tmp.resolve("mosquitto.db");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    private static Result courtier(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out) {
    }

    @Test
    void migratePrintsTheCountsAndLeavesCourtiersLayout() throws Exception {
        Path db = mosquittoDb();
        byte[] original = Files.readAllBytes(db);

        Result dry = courtier("migrate", "--dry-run", db.toString());
        assertThat(dry.status()).isZero();
        assertThat(dry.out()).contains("retained messages: 1", "sessions:          1", "subscriptions:     1",
                "queued messages:   2");
        assertThat(Files.readAllBytes(db)).isEqualTo(original);

        Result done = courtier("migrate", db.toString());
        assertThat(done.status()).isZero();
        assertThat(done.out()).contains("Imported from", "retained messages: 1", "queued messages:   2");
        assertThat(Files.readAllBytes(tmp.resolve("mosquitto.db.imported"))).isEqualTo(original);
        assertThat(Files.readString(db)).startsWith("Courtier persistence anchor");
        assertThat(tmp.resolve("mosquitto.db.courtier")).isDirectory();

        Result again = courtier("migrate", db.toString());
        assertThat(again.status()).isEqualTo(1);
    }
}
