package io.courtier.cli.client;

import io.courtier.testkit.External;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the tools: Mosquitto's as processes, Courtier's in-process on a thread; collects exit status and output. */
final class Run {

    /** What one run printed. */
    record Result(int status, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Run() {
    }

    /** A running mosquitto_sub/mosquitto_pub. */
    static final class Proc {
        private final Process process;
        private final Path out;
        private final Path err;

        Proc(byte[] stdin, String program, String... args) {
            this(stdin, java.util.Map.of(), program, args);
        }

        Proc(byte[] stdin, java.util.Map<String, String> env, String program, String... args) {
            External.require(program);
            List<String> cmd = new ArrayList<>();
            // Line-buffered stdout (coreutils' stdbuf), so -d lines can be watched as they come.
            cmd.addAll(List.of("stdbuf", "-oL"));
            cmd.add(External.require(program).toString());
            cmd.addAll(List.of(args));
            try {
                out = Files.createTempFile("out", ".bin");
                err = Files.createTempFile("err", ".txt");
                out.toFile().deleteOnExit();
                err.toFile().deleteOnExit();
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                if (stdin == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                process = pb.start();
                if (stdin != null) {
                    try (var in = process.getOutputStream()) {
                        in.write(stdin);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Result await() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("did not exit in 30 s; stdout so far: " + Files.readString(out));
                }
                return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** What it printed so far (the process may still run). */
        String stdoutSoFar() {
            try {
                return Files.readString(out, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Proc mosquitto(String program, String... args) {
        return new Proc(null, program, args);
    }

    static Result mosquittoNow(String program, String... args) {
        return new Proc(null, program, args).await();
    }

    /** courtier sub, running on its own thread. */
    static final class Sub {
        final Subscriber subscriber;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> status;

        Sub(String... args) {
            this(List.of(), args);
        }

        Sub(List<String> defaults, String... args) {
            subscriber = new Subscriber(new PrintStream(out, true), new PrintStream(err, true)).withDefaults(defaults);
            status = CompletableFuture.supplyAsync(() -> subscriber.run(args));
        }

        Result await() {
            try {
                int s = status.get(30, TimeUnit.SECONDS);
                return new Result(s, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError("courtier sub did not finish; stdout so far: " + out, e);
            }
        }
    }

    static Sub courtierSub(String... args) {
        return new Sub(args);
    }

    /** courtier pub, in-process, with {@code stdin} as standard input. */
    static Result courtierPub(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin);
        int s = new Publisher(in, new PrintStream(out, true), new PrintStream(err, true)).run(args);
        return new Result(s, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static Result courtierPub(String... args) {
        return courtierPub(null, args);
    }

    /** courtier ctrl, in-process, with {@code stdin} as standard input. */
    static Result courtierCtrl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int s = new io.courtier.cli.ctrl.Ctrl(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true)).run(args);
        return new Result(s, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
