package io.courtier.broker.persistence;

import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.durable;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store lives on a small tmpfs that a filler file fills up. Needs the
 * right to mount (root in a container that allows it); skipped where mounting is not allowed.
 * {@link StoreFailureTest} covers the same promise everywhere with an injected failure.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    private Path mount;

    private boolean mountTmpfs() throws Exception {
        mount = tmp.resolve("small");
        Files.createDirectories(mount);
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString())
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void fill(Path file) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full now
        }
    }

    @Test
    void aFullDiskStopsAcknowledgementsAndTheBrokerRecoversWhenSpaceReturns() throws Exception {
        Assumptions.assumeTrue(mountTmpfs(), "cannot mount a tmpfs here");
        try (Broker broker = Broker.start(durable(mount).build(), "test")) {
            PersistenceFixtures.Received watched = new PersistenceFixtures.Received();
            MqttClient watch = client(broker.port(), "watch");
            watch.setCallback(watched);
            watch.connect(options(false));
            watch.subscribe("d/#", 1);
            MqttAsyncClient pub = new MqttAsyncClient("tcp://127.0.0.1:" + broker.port(), "pub",
                    new MemoryPersistence());
            pub.connect(options(false)).waitForCompletion(10_000);

            Path filler = mount.resolve("filler");
            fill(filler);
            byte[] big = new byte[256 * 1024];
            IMqttDeliveryToken refused = pub.publish("d/1", big, 1, false);
            pub.publish("d/0", "fast".getBytes(StandardCharsets.UTF_8), 0, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.count("d/0=fast") == 1);
            assertThat(refused.isComplete()).isFalse();
            assertThat(watched.all).containsExactly("d/0=fast");

            Files.delete(filler);
            pub.disconnectForcibly(0, 1000);
            pub.connect(options(false)).waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> watched.all.size() == 2);
            pub.disconnect().waitForCompletion(5000);
            pub.close();
            watch.disconnect();
            watch.close();
        }
    }
}
