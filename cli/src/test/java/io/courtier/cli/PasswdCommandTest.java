package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.security.PasswordFile;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier passwd} against Debian's {@code mosquitto_passwd} (same messages, exit codes
 * and file effects) and its files against Debian's {@code mosquitto} broker.
 */
class PasswdCommandTest {

    @TempDir
    Path dir;

    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result courtier(Path cwd, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> resolved = new ArrayList<>();
        for (String a : args) {
            resolved.add(a.startsWith("FILE:") ? cwd.resolve(a.substring(5)).toString() : a);
        }
        int rc = PasswdCommand.run(resolved, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result external(Path cwd, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(External.require(args[0]).toString());
        for (int i = 1; i < args.length; i++) {
            cmd.add(args[i].startsWith("FILE:") ? cwd.resolve(args[i].substring(5)).toString() : args[i]);
        }
        Path out = Files.createTempFile("o", ".txt");
        Path err = Files.createTempFile("e", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** The users of a password file, in order (hashes differ by salt). */
    static List<String> users(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of("<no file>");
        }
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            int c = l.indexOf(':');
            out.add(c < 0 ? l : l.substring(0, c) + ":" + l.substring(c + 1).replaceAll("^(\\$[0-9]\\$).*", "$1")
                    .replaceAll("^[^$].*", "plain"));
        }
        return out;
    }

    @Test
    void sameMessagesExitCodesAndEffectsAsMosquittoPasswd() throws Exception {
        String seed = "alice:$7$101$d1E8edwZgFXSDAIN$a0NudgAD5MotuA9wMoV3i0vIBPjwhkaoIkl02SfYacYwTbIQiQ5VDvOEqhqSx"
                + "UgqG9H3HvNcGTWlVTpkEfmlPA==\nbob:$6$CVGjjoyqH+/wi8pJ$+y4iH5rnvmjGFcZDrPBXBzVCF57MA41QGHg4rja"
                + "B3qj0ZbQnLAmaAC8QfLl8DHpKN9PjMVDdPQLzja8hceRKKQ==\n";
        String[][] cases = {
                {"", "-c", "-b", "FILE:new", "u", "p"},
                {"", "-b", "FILE:pw", "carol", "p"},
                {"", "-b", "FILE:pw", "alice", "changed"},
                {"", "-H", "sha512", "-b", "FILE:pw", "dave", "p"},
                {"", "-H", "md5", "-b", "FILE:pw", "dave", "p"},
                {"", "-b", "FILE:missing", "u", "p"},
                {"", "-b", "FILE:pw", "a:b", "p"},
                {"", "-D", "FILE:pw", "alice"},
                {"", "-D", "FILE:pw", "nobody"},
                {"", "-D", "FILE:pw"},
                {"", "-D", "FILE:missing", "u"},
                {"", "-c", "FILE:pw"},
                {"", "-c", "-D", "FILE:pw", "u"},
                {"", "-U"},
                {"", "-U", "FILE:missing"},
                {"", "-U", "FILE:plain"},
                {"", "-U", "FILE:corrupt"},
                {"", "-b", "FILE:pw", "u"},
                {"", "FILE:pw"},
                {"", "-x", "FILE:pw", "u"},
                {"s3cret\ns3cret\n", "FILE:pw", "erin"},
                {"s3cret\nother\n", "FILE:pw", "erin"},
                {"\n", "FILE:pw", "erin"},
                {"s3cret\n", "FILE:pw", "erin"},
                {"x\nx\n", "-c", "FILE:fresh", "frank"},
        };
        for (String[] c : cases) {
            String stdin = c[0];
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Path ours = Files.createDirectories(dir.resolve("ours" + java.util.Arrays.hashCode(c)));
            Path theirs = Files.createDirectories(dir.resolve("theirs" + java.util.Arrays.hashCode(c)));
            for (Path d : List.of(ours, theirs)) {
                Files.writeString(d.resolve("pw"), seed);
                Files.writeString(d.resolve("plain"), "u1:plain1\nu2:plain2\n");
                Files.writeString(d.resolve("corrupt"), "u1:plain1\n\nu2\n");
            }
            Result mine = courtier(ours, stdin, args);
            String[] cmd = new String[args.length + 1];
            cmd[0] = "mosquitto_passwd";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Result ref = external(theirs, stdin, cmd);
            String what = String.join(" ", args) + " <<< " + stdin.replace("\n", "\\n");
            assertThat(mine.exitCode()).as("exit code of %s", what).isEqualTo(ref.exitCode());
            assertThat(mine.stderr()).as("stderr of %s", what)
                    .isEqualTo(ref.stderr().replace(theirs.toString(), ours.toString()));
            if (ref.stdout().startsWith("Password")) {
                assertThat(mine.stdout()).as("prompts of %s", what).isEqualTo(ref.stdout());
            } else {
                assertThat(mine.stdout().isEmpty()).as("stdout of %s", what).isEqualTo(ref.stdout().isEmpty());
            }
            for (String f : List.of("pw", "new", "plain", "fresh")) {
                assertThat(users(ours.resolve(f))).as("%s after %s", f, what).isEqualTo(users(theirs.resolve(f)));
            }
        }
    }

    @Test
    void passwordsItWritesAreCheckedByCourtier() throws Exception {
        Path pw = dir.resolve("pw");
        assertThat(Main.run("passwd", "-c", "-b", pw.toString(), "sondes", "mot2passe")).as("through picocli").isZero();
        assertThat(courtier(dir, "", "-I", "1000", "-b", pw.toString(), "fast", "x").exitCode()).isZero();
        assertThat(Files.readString(pw)).contains("sondes:$7$210000$").contains("fast:$7$1000$");
        assertThat(courtier(dir, "", "-I", "zero", "-b", pw.toString(), "u", "p").stderr())
                .isEqualTo("Error: Invalid number of iterations 'zero'.\n");
        PasswordFile file = PasswordFile.load(pw, w -> { throw new AssertionError(w); });
        assertThat(file.check("sondes", "mot2passe".getBytes())).isTrue();
        assertThat(file.check("fast", "x".getBytes())).isTrue();
        // -U keeps lines that are hashed already instead of hashing the hash
        Files.writeString(pw, Files.readString(pw) + "plain:text\n");
        assertThat(courtier(dir, "", "-U", pw.toString()).exitCode()).isZero();
        file = PasswordFile.load(pw, w -> { throw new AssertionError(w); });
        assertThat(file.check("sondes", "mot2passe".getBytes())).isTrue();
        assertThat(file.check("plain", "text".getBytes())).isTrue();
    }

    @Test
    void filesItWritesAreAcceptedByDebiansMosquittoBroker() throws Exception {
        External.require("mosquitto_pub");
        Path pw = dir.resolve("pw");
        assertThat(courtier(dir, "", "-c", "-b", pw.toString(), "sondes", "mot2passe").exitCode()).isZero();
        assertThat(courtier(dir, "", "-I", "101", "-b", pw.toString(), "old2", "p2").exitCode()).isZero();
        assertThat(courtier(dir, "", "-H", "sha512", "-b", pw.toString(), "old1", "p1").exitCode()).isZero();
        try (MosquittoBroker broker = MosquittoBroker.start(dir, "allow_anonymous false", "password_file " + pw)) {
            String p = String.valueOf(broker.port());
            assertThat(external(dir, "", "mosquitto_pub", "-p", p, "-u", "sondes", "-P", "mot2passe", "-t", "ctrlled",
                    "-m", "1").exitCode()).isZero();
            assertThat(external(dir, "", "mosquitto_pub", "-p", p, "-u", "old2", "-P", "p2", "-t", "t", "-m", "1")
                    .exitCode()).isZero();
            assertThat(external(dir, "", "mosquitto_pub", "-p", p, "-u", "old1", "-P", "p1", "-t", "t", "-m", "1")
                    .exitCode()).isZero();
            Result wrong = external(dir, "", "mosquitto_pub", "-p", p, "-u", "sondes", "-P", "faux", "-t", "t",
                    "-m", "1");
            assertThat(wrong.exitCode()).isEqualTo(5);
            assertThat(wrong.stderr()).contains("not authorised");
        }
    }
}
