package io.courtier.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.ConfigCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --test-config} loads a bridge's TLS files as start-up would, and names its connection line. */
class BridgeConfigCheckTest {

    @TempDir
    Path dir;

    @Test
    void aBridgeCaFileThatIsNotACertificateIsAnErrorAtItsConnectionLine() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
        Path conf = Files.writeString(dir.resolve("c.conf"), String.join("\n", "listener 0 127.0.0.1",
                "connection cloud", "address 127.0.0.1:8883", "topic # out 1", "bridge_cafile " + ca, ""));
        ConfigCheck.Result r = ConfigCheck.run(conf);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().asString().startsWith(conf + ":2: bridge cloud: ");
    }

    @Test
    void aGoodBridgeBlockPasses() throws Exception {
        Path conf = Files.writeString(dir.resolve("c.conf"), String.join("\n", "listener 0 127.0.0.1",
                "connection cloud", "address 127.0.0.1:8883", "topic # out 1", ""));
        assertThat(ConfigCheck.run(conf).errors()).isEmpty();
    }
}
