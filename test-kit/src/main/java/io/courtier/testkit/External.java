package io.courtier.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs and tools nobody here wrote (Debian's {@code mosquitto}, {@code mosquitto_pub},
 * {@code mosquitto_passwd}, {@code openssl}, Chromium, ...) and the project's one rule for them:
 * a test that needs one is skipped when it is absent and the {@code CI} environment variable is
 * unset; under CI it fails, because {@code .ci/run} installs them and a skipped test would let CI
 * pass without checking anything.
 *
 * <pre>{@code
 * Path sub = External.require("mosquitto_sub");
 * External.Result r = External.run("mosquitto_passwd", "-b", file, "user", "secret");
 * External.requirePresent(chromiumFound, "chromium");
 * }</pre>
 */
public final class External {
    private External() {
    }

    /** A finished program run: exit code and everything it printed on each stream. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** The program's path; skips the test when it is missing outside CI, fails it under CI. */
    public static Path require(String program) {
        Optional<Path> found = find(program);
        requirePresent(found.isPresent(), program);
        return found.get();
    }

    /**
     * The rule for anything else a test needs from outside (a browser, a Node package): returns
     * when {@code present}; otherwise skips the test, or fails it under CI.
     */
    public static void requirePresent(boolean present, String what) {
        if (present) {
            return;
        }
        String why = what + " is not installed";
        if (underCi()) {
            fail(why + ", and CI is set: .ci/run should have installed it");
        }
        Assumptions.abort(why + "; skipped because CI is unset (under CI this test fails)");
    }

    /** Whether the {@code CI} variable asks for every external program to be there. */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }

    /** Looks the program up on PATH, then in /usr/bin, /usr/sbin and /sbin (Debian puts mosquitto there). */
    public static Optional<Path> find(String program) {
        String pathVar = System.getenv().getOrDefault("PATH", "");
        String dirs = String.join(File.pathSeparator, pathVar, "/usr/bin", "/usr/sbin", "/sbin");
        for (String dir : dirs.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts a program (skipping or failing per {@link #require}) with stdout and stderr kept apart. */
    public static Process start(String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(List.of(args));
        return start(command, null);
    }

    private static Process start(List<String> command, String stdin) {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, require(cmd.get(0)).toString());
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a started program to end (at most 30 s, then it is killed and the test fails). */
    public static Result finish(Process p) {
        CompletableFuture<String> out = readAll(p.getInputStream());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(p.info().command().orElse("program") + " did not finish within 30 s; stderr: " + err.getNow(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** Runs a program to its end. */
    public static Result run(String program, String... args) {
        return finish(start(program, args));
    }

    /** Runs a command (its first word a program name) to its end. */
    public static Result run(List<String> command) {
        return run(command, null);
    }

    /** Runs a command to its end with this text on its standard input. */
    public static Result run(List<String> command, String stdin) {
        return finish(start(command, stdin));
    }

    /**
     * A thread per stream: the common pool has one thread on a 2-core machine, and a program that
     * fills the stderr pipe while stdout is read would wait forever.
     */
    private static final Executor READERS = r -> {
        Thread t = new Thread(r, "external-output");
        t.setDaemon(true);
        t.start();
    };

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, READERS);
    }

    /** A port free right now, for a program that cannot bind port 0 and tell us. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
