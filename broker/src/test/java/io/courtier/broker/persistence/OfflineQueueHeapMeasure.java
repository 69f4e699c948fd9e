package io.courtier.broker.persistence;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.session.Session;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: queues {@code courtier.measure.queue} QoS 1 messages (64-byte payloads) for one
 * offline persistent client with 8 Paho publishers, then reports the heap in use after a GC,
 * restarts the broker on the same directory and reports the restore time and heap again.
 * <pre>
 * mvn -q -o -pl broker -am test -Dtest=OfflineQueueHeapMeasure -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcourtier.measure.queue=1000000
 * </pre>
 */
class OfflineQueueHeapMeasure {

    @Test
    @EnabledIfSystemProperty(named = "courtier.measure.queue", matches = "\\d+")
    void measure() throws Exception {
        int total = Integer.parseInt(System.getProperty("courtier.measure.queue"));
        int publishers = 8;
        Path dir = Files.createTempDirectory("courtier-heap");
        BrokerConfig.Builder b = PersistenceFixtures.durable(dir);
        b.connectionMessages = false;
        BrokerConfig config = b.build();
        report("before the broker", 0);
        long start = System.nanoTime();
        try (Broker broker = Broker.start(config, "measure")) {
            MqttClient sub = PersistenceFixtures.client(broker.port(), "offline");
            sub.connect(PersistenceFixtures.options(false));
            sub.subscribe("heap/#", 1);
            sub.disconnect();
            sub.close();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int n = p;
                Thread t = new Thread(() -> {
                    try {
                        PersistenceFixtures.publishAll(broker.port(), "heap-pub-" + n, "heap/" + n, 1,
                                "0123456789012345678901234567890123456789012345678901234-" + n + "-", total / publishers);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            System.out.printf("queued %,d messages in %.1f s%n", total, (System.nanoTime() - start) / 1e9);
            Session s = broker.sessions().get("offline");
            System.out.printf("session: queued %,d, in memory %,d%n", s.queuedCount(), s.queuedInMemory());
            report("with the queue (running broker)", total);
        }
        long t0 = System.nanoTime();
        try (Broker broker = Broker.start(config, "measure")) {
            System.out.printf("restart took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Session s = broker.sessions().get("offline");
            System.out.printf("restored session: queued %,d, in memory %,d%n", s.queuedCount(), s.queuedInMemory());
            report("after restart", total);
        }
        System.out.println("store size: " + du(dir) / (1024 * 1024) + " MiB");
    }

    private static void report(String when, int queued) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("heap used %s: %,d MiB%n", when, used / (1024 * 1024));
    }

    private static long du(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
