package io.courtier.broker.web;

import static org.junit.jupiter.api.Assertions.fail;

import io.courtier.broker.testing.MosquittoTools;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The team's rule for tests that need something from outside (programs through
 * {@link MosquittoTools}): skip when it is absent and the {@code CI} variable is unset; fail
 * under CI, where .ci/run installs it.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (MosquittoTools.underCi()) {
            fail(what + " is missing; .ci/run should have installed it");
        }
        Assumptions.abort(what + " is missing (set CI to make this a failure)");
    }

    static void requirePrograms(String... programs) {
        for (String p : programs) {
            MosquittoTools.require(p);
        }
    }

    /** A password file with one user, written by Debian's mosquitto_passwd (the real format). */
    static Path passwordFile(Path dir, String user, String password) throws Exception {
        requirePrograms("mosquitto_passwd");
        Path file = dir.resolve("passwd");
        Process p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", file.toString(), user, password)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("mosquitto_passwd failed");
        }
        return file;
    }
}
