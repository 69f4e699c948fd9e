package io.courtier.cli.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's {@code mosquitto} started on a free port with a temporary configuration, logging
 * everything to a file (its stdout) the tests read to know when a client has subscribed.
 */
final class MosquittoBroker implements AutoCloseable {

    final int port;
    final Path dir;
    private final Path log;
    private final Process process;

    /** {@code listenerLines} go after the {@code listener} line (TLS settings, for instance). */
    MosquittoBroker(String... listenerLines) {
        External.require("mosquitto");
        try {
            dir = Files.createTempDirectory("mosquitto");
            log = dir.resolve("mosquitto.log");
            port = External.freePort();
            StringBuilder conf = new StringBuilder()
                    .append("log_dest stdout\n")
                    .append("log_type all\n")
                    .append("listener ").append(port).append(" 127.0.0.1\n")
                    .append("allow_anonymous true\n");
            for (String l : listenerLines) {
                conf.append(l).append('\n');
            }
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, conf);
            // Line-buffered stdout (coreutils' stdbuf), so the log is readable as it happens.
            process = new ProcessBuilder("stdbuf", "-oL", External.path("mosquitto"), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(this::accepting);
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited: " + read(log));
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the broker has acknowledged a SUBSCRIBE of this client. */
    void awaitSubscribed(String clientId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("Sending SUBACK to " + clientId + "\n"));
    }

    String log() {
        return read(log);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
