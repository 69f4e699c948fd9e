package io.courtier.broker.persistence;

import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise under kill -9: a broker in a child JVM is killed in the middle of a
 * QoS 1 or QoS 2 stream to a persistent subscriber that is offline, restarted on the same
 * directory, and the subscriber reconnects. Every message whose PUBACK (QoS 1) or PUBCOMP
 * (QoS 2) the publisher got is delivered — at least once for QoS 1, exactly once for QoS 2 —
 * and the retained message and the subscription are back.
 */
class CrashRecoveryTest {

    @TempDir
    Path tmp;

    /**
     * Under {@code persistence_sync interval} the promise is weaker (power loss), but a killed
     * broker still loses nothing: the writes are in the operating system's hands.
     */
    @ParameterizedTest(name = "QoS {0}, persistence_sync {1}")
    @CsvSource({"1, always", "2, always", "1, interval"})
    void everyAcknowledgedMessageSurvivesKillDashNine(int qos, String sync) throws Exception {
        Path log = tmp.resolve("child.log");
        String topic = "crash/q" + qos;
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        try (BrokerProcess broker = BrokerProcess.start(tmp, log, sync)) {
            MqttClient sub = client(broker.port, "crash-sub");
            sub.connect(options(false));
            sub.subscribe(topic, qos);
            sub.disconnect();
            sub.close();
            MqttClient retain = client(broker.port, "crash-retain");
            retain.connect(options(true));
            retain.publish("crash/retained", "still here".getBytes(StandardCharsets.UTF_8), 1, true);
            retain.disconnect();
            retain.close();

            MqttAsyncClient pub = new MqttAsyncClient("tcp://127.0.0.1:" + broker.port, "crash-pub",
                    new MemoryPersistence());
            pub.connect(options(true)).waitForCompletion(10_000);
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> publishUntilStopped(pub, topic, qos, acked, stop), "crash-publisher");
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 300);
            broker.kill(); // mid-stream
            stop.set(true);
            publisher.join(20_000);
            pub.close(true);
        }
        Set<Integer> ackedBeforeCrash = new TreeSet<>(acked);

        try (BrokerProcess broker = BrokerProcess.start(tmp, log, sync)) {
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port, "crash-sub");
            sub.setCallback(got);
            IMqttToken connected = sub.connectWithResult(options(false));
            assertThat(connected.getSessionPresent()).isTrue();

            // A last message through the restored subscription; the queue is delivered in order,
            // so when it arrives everything queued before the crash has arrived too.
            MqttClient after = client(broker.port, "after-pub");
            after.connect(options(true));
            after.publish(topic, "end".getBytes(StandardCharsets.UTF_8), qos, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.count(topic + "=end") == 1);

            for (int i : ackedBeforeCrash) {
                int n = got.count(topic + "=" + i);
                if (qos == 1) {
                    assertThat(n).as("message %d (PUBACK received) delivered", i).isGreaterThanOrEqualTo(1);
                } else {
                    assertThat(n).as("message %d (PUBCOMP received) delivered exactly once", i).isEqualTo(1);
                }
            }
            if (qos == 2) {
                assertThat(got.counts.values()).allMatch(c -> c.get() == 1);
            }

            PersistenceFixtures.Received retained = new PersistenceFixtures.Received();
            MqttClient reader = client(broker.port, "crash-reader");
            reader.setCallback(retained);
            reader.connect(options(true));
            reader.subscribe("crash/retained", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> retained.count("crash/retained=still here") == 1);
            for (MqttClient c : new MqttClient[] {sub, after, reader}) {
                c.disconnect();
                c.close();
            }
            broker.stop();
        }
    }

    @org.junit.jupiter.api.Test
    void theWillOfAPersistentClientConnectedAtTheCrashIsPublishedAfterTheRestart() throws Exception {
        Path log = tmp.resolve("child.log");
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            MqttClient heir = client(broker.port, "heir");
            heir.connect(options(false));
            heir.subscribe("wills/#", 1);
            heir.disconnect();
            heir.close();
            MqttClient dying = client(broker.port, "dying");
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = options(false);
            o.setWill("wills/dying", "broker died".getBytes(StandardCharsets.UTF_8), 1, false);
            dying.connect(o);
            // Its session record (with the will) is on disk once a later change is: subscribe and wait for SUBACK.
            dying.subscribe("anything", 1);
            broker.kill();
            dying.close(true);
        }
        try (BrokerProcess broker = BrokerProcess.start(tmp, log)) {
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient heir = client(broker.port, "heir");
            heir.setCallback(got);
            heir.connect(options(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> got.count("wills/dying=broker died") == 1);
            heir.disconnect();
            heir.close();
            broker.stop();
        }
    }

    private static void publishUntilStopped(MqttAsyncClient pub, String topic, int qos, Set<Integer> acked,
                                            AtomicBoolean stop) {
        Semaphore window = new Semaphore(100);
        for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
            try {
                if (!window.tryAcquire(5, TimeUnit.SECONDS) || !pub.isConnected()) {
                    return;
                }
                int n = i;
                pub.publish(topic, String.valueOf(n).getBytes(StandardCharsets.UTF_8), qos, false, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acked.add(n); // PUBACK for QoS 1, PUBCOMP for QoS 2
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable e) {
                                window.release();
                            }
                        });
            } catch (MqttException | InterruptedException e) {
                return;
            }
        }
    }
}
