package io.courtier.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} broker on a free port of 127.0.0.1, with a configuration written
 * into {@code dir} (skipped or failed by {@link External#require} when it is missing).
 * Started as root, mosquitto would drop to its own user and could not write its persistence
 * file into the test's directory, so {@code user} names the user running the tests.
 *
 * <pre>{@code
 * try (MosquittoBroker m = MosquittoBroker.start(tmp, "persistence true", "persistence_location " + tmp + "/")) {
 *     ... m.port() ...
 *     m.stop(); // SIGTERM: mosquitto writes mosquitto.db as it ends
 * }
 * try (MosquittoBroker m = MosquittoBroker.inTempDir("allow_anonymous false")) { ... }
 * }</pre>
 */
public final class MosquittoBroker implements AutoCloseable, MqttEndpoint {

    /** Where Debian puts the dynamic security plugin. */
    public static final Path DYNSEC_PLUGIN = Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");

    private final Path conf;
    private final Path log;
    private final int port;
    private Process process;
    /** A directory the broker made for itself and removes on {@link #close}; null when the test's. */
    private Path ownDir;

    private MosquittoBroker(Path conf, Path log, int port) {
        this.conf = conf;
        this.log = log;
        this.port = port;
    }

    /** Starts it with a listener on a free port of 127.0.0.1, anonymous clients allowed, and {@code lines}. */
    public static MosquittoBroker start(Path dir, String... lines) throws IOException {
        int port = External.freePort();
        return onConfig(config(dir, port, lines), port);
    }

    /**
     * As {@link #start} in a temporary directory of its own, removed on {@link #close}, logging
     * everything ({@code log_type all}) so a test can wait for what it did ({@link #awaitLog}).
     */
    public static MosquittoBroker inTempDir(String... lines) {
        try {
            Path dir = Files.createTempDirectory("mosquitto");
            String[] all = new String[lines.length + 1];
            all[0] = "log_type all";
            System.arraycopy(lines, 0, all, 1, lines.length);
            MosquittoBroker m;
            try {
                m = start(dir, all);
            } catch (RuntimeException | Error | IOException e) {
                delete(dir);
                throw e;
            }
            m.ownDir = dir;
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the configuration {@link #start} runs on, for a port: a listener on 127.0.0.1,
     * anonymous clients allowed, the user running the tests, then {@code lines}. Courtier reads
     * the same file where a test holds both brokers to one configuration.
     */
    public static Path config(Path dir, int port, String... lines) throws IOException {
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        StringBuilder text = new StringBuilder("listener " + port + " 127.0.0.1\nallow_anonymous true\nuser "
                + System.getProperty("user.name") + "\n");
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(conf, text, StandardCharsets.UTF_8);
        return conf;
    }

    /** Starts it on a configuration file of the test's own; returns once {@code port} accepts connections. */
    public static MosquittoBroker onConfig(Path conf, int port) throws IOException {
        MosquittoBroker m = new MosquittoBroker(conf, conf.resolveSibling(conf.getFileName() + ".log"), port);
        m.run();
        return m;
    }

    private void run() throws IOException {
        Path program = External.require("mosquitto");
        Process p = new ProcessBuilder(program.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = p;
        try {
            awaitListening(port);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Waits (20 s at most) until {@code port} of 127.0.0.1 accepts connections: its own listener
     * (start waits for that one), or another its configuration opens (a WebSocket listener is
     * libwebsockets', which opens on its own time).
     */
    public void awaitListening(int port) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto stopped: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Runs it on a configuration file it must refuse: waits for it to exit and returns what it
     * printed (its error names {@code FILE:LINE}).
     */
    public static String refuses(Path conf) throws IOException, InterruptedException {
        Path program = External.require("mosquitto");
        Path log = conf.resolveSibling(conf.getFileName() + ".log");
        Process p = new ProcessBuilder(program.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try (MosquittoBroker m = new MosquittoBroker(conf, log, 0)) {
            m.process = p;
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("mosquitto accepted " + conf + ": " + m.log());
            }
            return m.log();
        }
    }

    /** Sends SIGHUP: mosquitto reads its configuration file again. */
    public void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -HUP " + process.pid() + " failed");
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public int port() {
        return port;
    }

    /** The directory its configuration (and log) is in. */
    public Path dir() {
        return conf.getParent();
    }

    /** Waits (10 s at most) until its log shows {@code text}. */
    public void awaitLog(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains(text));
    }

    /** Waits until it has acknowledged a SUBSCRIBE of this client (needs {@code log_type all}, as {@link #inTempDir}). */
    public void awaitSubscribed(String clientId) {
        awaitLog("Sending SUBACK to " + clientId + "\n");
    }

    /** Stops it (SIGTERM: it saves its persistence file) and starts it again on the same port and configuration. */
    public void restart() throws IOException, InterruptedException {
        stop();
        run();
    }

    /** What mosquitto printed so far. */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops it with SIGTERM, as the service manager does, and waits until it has ended. */
    public void stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mosquitto did not stop within 20 s: " + log());
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
        if (ownDir != null) {
            delete(ownDir);
        }
    }

    /** A port free right now, for a program that cannot bind port 0 and tell us. */
    public static int freePort() {
        return External.freePort();
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
