package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordHashTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void filesWrittenByDebiansMosquittoPasswdAreAcceptedUnchanged() throws Exception {
        Path file = dir.resolve("pw");
        assertThat(External.run(List.of("mosquitto_passwd", "-c", "-b", file.toString(), "sondes", "mot2passe"))
                .exitCode()).isZero();
        // -H sha512 writes the older $6$ form that Mosquitto 1.x files carry.
        assertThat(External.run(List.of("mosquitto_passwd", "-H", "sha512", "-b", file.toString(), "old", "s3cret"))
                .exitCode()).isZero();
        assertThat(Files.readString(file)).contains("sondes:$7$101$").contains("old:$6$");

        List<String> warnings = new ArrayList<>();
        PasswordFile pw = PasswordFile.load(file, warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(pw.check("sondes", b("mot2passe"))).isTrue();
        assertThat(pw.check("sondes", b("mot2passE"))).isFalse();
        assertThat(pw.check("old", b("s3cret"))).isTrue();
        assertThat(pw.check("old", b("s3cret "))).isFalse();
        assertThat(pw.check("nobody", b("mot2passe"))).isFalse();
        assertThat(pw.check("sondes", null)).isFalse();
    }

    @Test
    void createdHashesHaveMosquittosLayoutAndAnyIterationCountIsRead() throws Exception {
        String h = PasswordHash.createPbkdf2("pa:ss wörd", 2000);
        assertThat(h).matches("\\$7\\$2000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
        PasswordHash parsed = PasswordHash.parse(h);
        assertThat(parsed.iterations()).isEqualTo(2000);
        assertThat(parsed.matches(b("pa:ss wörd"))).isTrue();
        assertThat(parsed.matches(b("pa:ss word"))).isFalse();
        assertThat(PasswordHash.parse(PasswordHash.createPbkdf2("", 5)).matches(new byte[0])).isTrue();
    }

    @Test
    void unreadableEntriesAreRemovedWithOneWarningEachAndOthersStillWork() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "good:" + PasswordHash.createPbkdf2("pw", 10),
                "plain:plaintext",
                "iters:$7$xx$abc$def",
                "salt:$7$101$!!!$def",
                "argon:$argon2id$v=19$m=4194304,t=3,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                "nohash",
                "good:" + PasswordHash.createPbkdf2("other", 10)) + "\n");
        List<String> warnings = new ArrayList<>();
        PasswordFile pw = PasswordFile.load(file, warnings::add);
        assertThat(pw.size()).isEqualTo(1);
        assertThat(pw.check("good", b("pw"))).isTrue();
        assertThat(pw.check("good", b("other"))).as("the first line of a repeated user wins").isFalse();
        assertThat(pw.check("plain", b("plaintext"))).isFalse();
        assertThat(warnings).containsExactly(
                file + ":4: Invalid password hash type for user plain, removing entry.",
                file + ":5: Invalid hash iterations for user iters, removing entry.",
                file + ":6: Unable to decode password salt for user salt, removing entry.",
                file + ":7: Invalid $argon2id$ parameters (m=4194304,t=3,p=1; memory is limited to 1048576 KiB)"
                        + " for user argon, removing entry.",
                file + ":8: user nohash has no password hash; this user cannot log in.",
                file + ":9: duplicate user good, removing entry.");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> PasswordFile.load(dir.resolve("nope"), w -> { }))
                .isInstanceOf(SecurityFileException.class)
                .hasMessage("Unable to open password file " + dir.resolve("nope") + ": No such file or directory");
    }

    @Test
    void pbkdf2MatchesRfc6070StyleVectorComputedIndependently() {
        // PBKDF2-HMAC-SHA512("password", "salt", 1, 64), a published test vector.
        byte[] out = PasswordHash.pbkdf2Sha512(b("password"), b("salt"), 1);
        assertThat(java.util.HexFormat.of().formatHex(out)).isEqualTo(
                "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                        + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce");
    }
}
