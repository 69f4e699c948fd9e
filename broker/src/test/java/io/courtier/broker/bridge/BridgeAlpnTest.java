package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.courtier;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.security.TestCertificates;
import io.courtier.testkit.External;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridge_alpn}: the bridge offers the protocol in its TLS handshake, as brokers that pick
 * what they speak on a port by ALPN need (AWS IoT's {@code x-amzn-mqtt-ca} on 443). The remote here
 * is OpenSSL's own test server, which prints what the client offered.
 */
class BridgeAlpnTest {

    @TempDir
    Path dir;

    @Test
    void theBridgeOffersItsAlpnProtocolInTheHandshake() throws Exception {
        TestCertificates pki = TestCertificates.create(dir);
        int port = External.freePort();
        // Its standard input stays open: at end of input s_server stops serving.
        Process server = new ProcessBuilder(External.require("openssl").toString(), "s_server",
                "-accept", String.valueOf(port), "-cert", pki.file("server.crt").toString(),
                "-key", pki.file("server.key").toString(), "-alpn", "x-amzn-mqtt-ca")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(server.getInputStream(), printed));
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> text(printed).contains("ACCEPT"));
            try (Broker local = courtier(dir,
                    "connection cloud",
                    "address 127.0.0.1:" + port,
                    "topic maison/# out 1",
                    "restart_timeout 1",
                    "bridge_cafile " + pki.file("ca.crt"),
                    "bridge_alpn x-amzn-mqtt-ca")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> text(printed)
                        .contains("ALPN protocols advertised by the client: x-amzn-mqtt-ca"));
            }
        } finally {
            server.destroy();
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (java.io.IOException closed) {
            // the server was stopped
        }
    }
}
