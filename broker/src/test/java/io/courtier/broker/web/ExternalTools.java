package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.nio.file.Path;

/** What the console tests make with programs nobody here wrote (skip/fail rule: {@link External}). */
final class ExternalTools {
    private ExternalTools() {
    }

    /** A password file with one user, written by Debian's mosquitto_passwd (the real format). */
    static Path passwordFile(Path dir, String user, String password) {
        Path file = dir.resolve("passwd");
        External.Result r = External.run("mosquitto_passwd", "-c", "-b", file.toString(), user, password);
        assertThat(r.exitCode()).as("mosquitto_passwd: %s", r.stderr()).isZero();
        return file;
    }
}
