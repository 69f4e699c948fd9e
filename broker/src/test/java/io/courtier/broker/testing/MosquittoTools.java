package io.courtier.broker.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Debian's Mosquitto programs ({@code mosquitto_pub}, {@code mosquitto_sub},
 * {@code mosquitto_passwd}, {@code mosquitto}) for tests that drive Courtier with clients
 * nobody here wrote. The rule (TEAM.md): a test needing one skips when it is absent and the
 * {@code CI} environment variable is unset; under CI it fails, because {@code .ci/run} installs
 * them.
 *
 * <pre>{@code
 * Path sub = MosquittoTools.require("mosquitto_sub");
 * }</pre>
 */
public final class MosquittoTools {
    private MosquittoTools() {
    }

    /** The program's path; skips the test when it is missing outside CI, fails it under CI. */
    public static Path require(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            String why = program + " is not installed (apt-get install mosquitto mosquitto-clients)";
            if (underCi()) {
                fail(why + ", and CI is set: .ci/run should have installed it");
            }
            assumeTrue(false, why + "; skipped because CI is unset");
        }
        return found.get();
    }

    /** A finished program run: exit code and everything it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Starts a program (skipping or failing per {@link #require}) with stdout and stderr kept apart. */
    public static Process start(String program, String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(require(program).toString());
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close(); // nothing on stdin
        return p;
    }

    /** Waits for a started program to end (at most 20 s, then it is killed and the test fails). */
    public static Result finish(Process p) throws java.io.IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<String> out = readAll(p.getInputStream());
        java.util.concurrent.CompletableFuture<String> err = readAll(p.getErrorStream());
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(p.info().command().orElse("program") + " did not finish within 20 s; stderr: " + err.getNow(""));
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** Runs a program to its end. */
    public static Result run(String program, String... args) throws java.io.IOException, InterruptedException {
        return finish(start(program, args));
    }

    private static java.util.concurrent.CompletableFuture<String> readAll(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
    }

    /** Looks the program up on PATH, then in /usr/bin and /usr/sbin (Debian puts mosquitto there). */
    public static Optional<Path> find(String program) {
        String pathVar = System.getenv().getOrDefault("PATH", "");
        for (String dir : (pathVar + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator)) {
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

    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }
}
