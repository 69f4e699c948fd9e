package io.courtier.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code mosquitto}, started on a free port with a temporary configuration; skipped when
 * not installed unless CI is set. Can be restarted on the same port (its session store kept when
 * the configuration asks for persistence).
 */
final class Mosquitto implements AutoCloseable {

    final int port;
    private final Path dir;
    private final Path config;
    private Process process;

    Mosquitto(String... extraLines) {
        if (!new File("/usr/sbin/mosquitto").canExecute()) {
            if (System.getenv("CI") != null) {
                fail("mosquitto is not installed (see .ci/run)");
            }
            Assumptions.abort("mosquitto is not installed");
        }
        try {
            dir = Files.createTempDirectory("mosquitto");
            // mosquitto started as root drops to its own user: let it write its persistence file.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            port = freePort();
            StringBuilder conf = new StringBuilder("listener " + port + " 127.0.0.1\nallow_anonymous true\n");
            for (String l : extraLines) {
                conf.append(l.replace("DIR", dir.toString())).append('\n');
            }
            config = dir.resolve("mosquitto.conf");
            Files.writeString(config, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        try {
            process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> accepting(port));
    }

    static boolean accepting(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker (SIGTERM: it saves its persistence file) and starts it again on the same port. */
    void restart() {
        stop();
        start();
    }

    void stop() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
