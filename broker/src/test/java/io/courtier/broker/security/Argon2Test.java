package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mosquitto 2.1's $argon2id$ hashes: our Argon2id against Debian's reference {@code argon2} command. */
class Argon2Test {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hashesFromTheReferenceArgon2CommandAreVerified() {
        for (String[] c : new String[][] {
                {"password", "somesalt", "-t", "2", "-k", "1024", "-p", "2", "-l", "32"},
                {"mot2passe", "saltsaltsalt", "-t", "3", "-k", "4096", "-p", "1", "-l", "32"},
                {"pw", "0123456789abcdef", "-t", "1", "-k", "64", "-p", "4", "-l", "80"},
                {"é", "onecharacter", "-t", "2", "-k", "256", "-p", "3", "-l", "16"}}) {
            List<String> cmd = new java.util.ArrayList<>(List.of("argon2", c[1], "-id", "-e"));
            cmd.addAll(List.of(c).subList(2, c.length));
            External.Result r = External.run(cmd, c[0]);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            String encoded = r.stdout().strip();
            assertThat(encoded).startsWith("$argon2id$v=19$");
            try {
                PasswordHash h = PasswordHash.parse(encoded);
                assertThat(h.matches(b(c[0]))).as("%s for %s", encoded, c[0]).isTrue();
                assertThat(h.matches(b(c[0] + "x"))).isFalse();
                assertThat(h.isSlow()).isTrue();
            } catch (PasswordHash.InvalidHashException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aPasswordFileWithMosquitto21ArgonLinesWorks() throws Exception {
        External.Result r = External.run(List.of("argon2", "saltsaltsalt", "-id", "-e", "-t", "2", "-k", "8192",
                "-p", "1"), "mot2passe");
        Path file = dir.resolve("pw");
        Files.writeString(file, "sondes:" + r.stdout().strip() + "\nother:" + PasswordHash.createPbkdf2("x", 10) + "\n");
        PasswordFile pw = PasswordFile.load(file, w -> { throw new AssertionError(w); });
        assertThat(pw.check("sondes", b("mot2passe"))).isTrue();
        assertThat(pw.check("sondes", b("faux"))).isFalse();
        assertThat(pw.check("other", b("x"))).isTrue();
    }
}
