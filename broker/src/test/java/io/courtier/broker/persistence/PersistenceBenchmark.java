package io.courtier.broker.persistence;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.PersistenceSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Not a test: QoS 1 throughput, 8 concurrent Paho publishers (100 messages in flight each) to
 * one persistent QoS 1 subscriber that is online, with {@code persistence false}, then
 * {@code true + always}, then {@code true + interval}, in one run. A message counts when the
 * publisher has its PUBACK and the subscriber has it. Run through surefire, which has the
 * classpath (skipped unless {@code courtier.bench} is set):
 * <pre>
 * mvn -q -o -pl broker -am test -Dtest=PersistenceBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcourtier.bench=20000
 * </pre>
 */
public class PersistenceBenchmark {

    private static final int PUBLISHERS = 8;

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "courtier.bench", matches = "\\d+")
    void benchmark() throws Exception {
        main(new String[] {System.getProperty("courtier.bench"), System.getProperty("courtier.bench.rounds", "3")});
    }

    public static void main(String[] args) throws Exception {
        int perPublisher = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("courtier-bench");
        run("warm-up (memory)", config(dir, false, null), perPublisher / 4);
        run("warm-up (always)", config(dir.resolve("w"), true, PersistenceSync.ALWAYS), perPublisher / 4);
        for (int r = 1; r <= rounds; r++) {
            double memory = run("round " + r + " persistence false          ", config(dir, false, null), perPublisher);
            double always = run("round " + r + " persistence true, always   ",
                    config(dir.resolve("a" + r), true, PersistenceSync.ALWAYS), perPublisher);
            double interval = run("round " + r + " persistence true, interval ",
                    config(dir.resolve("i" + r), true, PersistenceSync.INTERVAL), perPublisher);
            System.out.printf("round %d: always = %.0f%% of memory, interval = %.0f%%%n", r,
                    100 * always / memory, 100 * interval / memory);
        }
    }

    private static BrokerConfig config(Path location, boolean persistence, PersistenceSync sync) {
        BrokerConfig.Builder b = PersistenceFixtures.durable(location);
        b.persistence = persistence;
        if (sync != null) {
            b.persistenceSync = sync;
        }
        b.connectionMessages = false;
        b.maxInflightMessages = 100;
        return b.build();
    }

    private static MqttConnectOptions options(boolean clean) {
        MqttConnectOptions o = PersistenceFixtures.options(clean);
        o.setMaxInflight(1000);
        return o;
    }

    /** Messages per second, PUBACKed and received. */
    private static double run(String label, BrokerConfig config, int perPublisher) throws Exception {
        int total = perPublisher * PUBLISHERS;
        try (Broker broker = Broker.start(config, "bench")) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            CountDownLatch received = new CountDownLatch(total);
            MqttAsyncClient sub = new MqttAsyncClient(uri, "bench-sub", new MemoryPersistence());
            sub.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.countDown();
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            sub.connect(options(false)).waitForCompletion(10_000);
            sub.subscribe("bench/#", 1).waitForCompletion(10_000);
            List<MqttAsyncClient> pubs = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                MqttAsyncClient c = new MqttAsyncClient(uri, "bench-pub-" + p, new MemoryPersistence());
                c.connect(options(true)).waitForCompletion(10_000);
                pubs.add(c);
            }
            CountDownLatch acked = new CountDownLatch(total);
            byte[] payload = new byte[64];
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                MqttAsyncClient c = pubs.get(p);
                String topic = "bench/" + p;
                Thread t = new Thread(() -> publish(c, topic, payload, perPublisher, acked));
                t.start();
                threads.add(t);
            }
            boolean done = acked.await(300, TimeUnit.SECONDS) && received.await(300, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Thread t : threads) {
                t.join();
            }
            double rate = total / seconds;
            System.out.printf("%s: %,d messages in %.2f s = %,.0f msg/s%s%n", label, total, seconds, rate,
                    done ? "" : " (INCOMPLETE)");
            for (MqttAsyncClient c : pubs) {
                c.disconnect().waitForCompletion(5000);
                c.close();
            }
            sub.disconnect().waitForCompletion(5000);
            sub.close();
            return rate;
        }
    }

    private static void publish(MqttAsyncClient c, String topic, byte[] payload, int count, CountDownLatch acked) {
        Semaphore window = new Semaphore(100);
        IMqttActionListener listener = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.countDown();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                window.acquire();
                c.publish(topic, payload, 1, false, null, listener);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
