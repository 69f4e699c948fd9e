package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs programs nobody here wrote (Debian's mosquitto, mosquitto_pub, mosquitto_passwd, openssl).
 * A test that needs one is skipped when it is missing, unless the {@code CI} variable is set:
 * then it fails, so CI cannot pass without them.
 */
public final class External {
    private External() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static Path require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String d : new String[] {dir, "/usr/sbin", "/sbin"}) {
                Path p = Path.of(d, program);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(program + " is required under CI (see .ci/run)");
        }
        Assumptions.abort(program + " is not installed");
        return null;
    }

    public static Result run(List<String> command) {
        return run(command, null);
    }

    /** Runs a command to its end (30 s at most) with optional standard input. */
    public static Result run(List<String> command, String stdin) {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, require(cmd.get(0)).toString());
        try {
            Path out = Files.createTempFile("ext", ".out");
            Path err = Files.createTempFile("ext", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done).as("%s finished", cmd).isTrue();
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A port free right now, for a program that cannot bind port 0 and tell us. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
