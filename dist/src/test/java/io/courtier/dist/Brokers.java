package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A broker run as a separate process from an unpacked distribution. */
final class Brokers {

    private Brokers() {
    }

    static void awaitListening(int port, Process broker, Path log) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!broker.isAlive()) {
                throw new AssertionError("broker exited " + broker.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** What mosquitto_sub reads from $SYS/broker/version. */
    static String version(int port) throws Exception {
        Programs.Result sub = Programs.run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-t", "$SYS/broker/version", "-C", "1", "-W", "10"));
        assertThat(sub.exitCode()).as(sub.output()).isZero();
        return sub.output().strip();
    }

}
