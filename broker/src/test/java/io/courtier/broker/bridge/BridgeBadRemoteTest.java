package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.awaitFlowing;
import static io.courtier.broker.bridge.BridgeFixture.courtier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.bridge.BridgeFixture.Ends;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MosquittoBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote brokers that misbehave: one that refuses the bridge's login, one that answers CONNECT
 * with bytes that are not MQTT. Each failure is one log line, the bridge tries again, and the
 * broker goes on serving its own clients.
 */
class BridgeBadRemoteTest {

    @TempDir
    Path dir;

    private static long attempts(LogCapture log, String address) {
        return log.messages().stream().filter(m -> m.equals("Connecting bridge school (" + address + ")")).count();
    }

    @Test
    void aRemoteThatRefusesTheLoginIsLoggedAndTriedAgain() throws Exception {
        try (LogCapture log = LogCapture.broker();
             MosquittoBroker remote = MosquittoBroker.start(dir, "allow_anonymous false");
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + remote.port(),
                     "topic maison/# out 1",
                     "restart_timeout 1")) {
            String address = "127.0.0.1:" + remote.port();
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(log, address) >= 3);
            assertThat(log.messages()).anyMatch(m -> m.startsWith("Bridge school: connection to " + address
                    + " failed: ") && m.contains("not authorised"));
            assertThat(log.anyThrowable()).isFalse();
            assertThat(local.bridges().get(0).connected()).isFalse();
            try (Ends x = new Ends(local.port(), local.port())) {
                x.h.subscribe("still/#", 0);
                awaitFlowing(x.h, "still/serving", x.here); // the broker itself is fine
            }
        }
    }

    @Test
    void aRemoteThatAnswersGarbageIsLoggedAndTriedAgain() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                while (!garbage.isClosed()) {
                    try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                        accepted.incrementAndGet();
                        out.write("HTTP/1.1 400 Bad Request\r\n\r\n\u00ff\u00ff\u00ff\u00ff\u00ff"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "garbage-remote");
            server.setDaemon(true);
            server.start();
            try (LogCapture log = LogCapture.broker();
                 Broker local = courtier(dir,
                         "connection school",
                         "address 127.0.0.1:" + garbage.getLocalPort(),
                         "topic maison/# out 1",
                         "restart_timeout 1")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.get() >= 3);
                await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream()
                        .filter(m -> m.startsWith("Bridge school: connection to 127.0.0.1:" + garbage.getLocalPort()
                                + " failed")).count() >= 2);
                assertThat(log.anyThrowable()).isFalse();
                try (Ends x = new Ends(local.port(), local.port())) {
                    x.h.subscribe("still/#", 0);
                    awaitFlowing(x.h, "still/serving", x.here);
                }
            }
        }
    }
}
