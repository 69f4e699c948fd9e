package io.courtier.cli.client;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Assumptions;

/** Programs from Debian's packages that the tests run; skipped when absent, unless under CI. */
public final class External {
    private External() {
    }

    public static void require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute() || new File("/usr/sbin", program).canExecute()) {
                return;
            }
        }
        if (System.getenv("CI") != null) {
            fail(program + " is not installed (CI must install it: see .ci/run)");
        }
        Assumptions.abort(program + " is not installed");
    }

    public static String path(String program) {
        File sbin = new File("/usr/sbin", program);
        return sbin.canExecute() ? sbin.getPath() : program;
    }

    /** A port nobody listens on right now, for programs that cannot bind port 0 themselves. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
