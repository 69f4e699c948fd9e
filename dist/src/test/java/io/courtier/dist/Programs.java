package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the distribution's launchers and Debian's tools for the packaging tests, output merged and
 * on the JVM running the tests; whether a tool must be there is {@link External#require}'s rule.
 */
final class Programs {

    private Programs() {
    }

    /** Output and exit status of a finished program (stdout and stderr merged). */
    record Result(int exitCode, String output) {
    }

    /** Runs a command to completion (at most a minute) and returns its status and output. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, null, java.util.Map.of());
    }

    /** The same, in directory {@code dir} (null: the current one). */
    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        return run(command, dir, java.util.Map.of());
    }

    /** The same, with extra environment variables. */
    static Result run(List<String> command, Path dir, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        withJava(pb);
        pb.environment().putAll(env); // after: a test may name another JAVA_HOME
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished within a minute", command).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The launcher runs on the JVM running the tests, whatever java is first on PATH. */
    static ProcessBuilder withJava(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("COURTIER_HOME");
        return pb;
    }
}
