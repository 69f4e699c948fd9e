package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
    void blake2bMatchesPythonsHashlib() {
        // hashlib.blake2b(data, digest_size=n).hexdigest(), computed with Python 3
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(Blake2b.hash(64, new byte[0]))).isEqualTo(
                "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                        + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
        assertThat(hex.formatHex(Blake2b.hash(64, b("abc")))).isEqualTo(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
        byte[] range = new byte[768];
        for (int i = 0; i < range.length; i++) {
            range[i] = (byte) i;
        }
        assertThat(hex.formatHex(Blake2b.hash(32, range)))
                .isEqualTo("b8007121274217790e2923e0ad7027986e5a99d5531ef6ae7d294140fc81615d");
        byte[] exactBlock = java.util.Arrays.copyOf(range, 128);
        assertThat(hex.formatHex(Blake2b.hash(17, exactBlock))).isEqualTo("7ca092935197a0c95bbc183b11cf4879f6");
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
