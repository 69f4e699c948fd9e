package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.config.Tunables;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.Paho;
import io.courtier.testkit.Paho.Inbox;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that reads and acknowledges, only slower than a publisher writes, slows that
 * publisher down instead of losing messages past max_queued_messages; one that stops reading
 * holds nobody back and loses what its limits do not hold, as in Mosquitto.
 */
class SubscriberBackPressureTest {

    private static final int COUNT = 2000;

    @Test
    void aPublisherThatOutrunsASubscriberIsSlowedDownAndNothingIsLost() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 100, PATIENT)) {
            floodAndReceiveAll(broker, Paho.options());
        }
    }

    @Test
    void withPersistenceAPublisherIsSlowedDownTooAndNothingIsLost(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.start(b -> {
            b.maxQueuedMessages = 100;
            b.persistence = true;
            b.persistenceLocation = dir;
            b.persistenceFile = "courtier.db";
        }, PATIENT)) {
            MqttConnectOptions durableSession = Paho.options();
            durableSession.setCleanSession(false); // its queue is stored: the durable path
            floodAndReceiveAll(broker, durableSession);
        }
    }

    /**
     * A broker that never finds the subscriber too slow to wait for: these tests check that holding
     * publishers back loses nothing, and a busy machine can stall a subscriber's thread past the
     * default half second (then, by design, its messages are dropped within its limits; that rule has
     * its own test below). With a minute the outcome no longer depends on the machine's speed.
     */
    private static final Tunables PATIENT = new Tunables(Tunables.DEFAULTS.memoryWindow(),
            Tunables.DEFAULTS.inboxHigh(), Tunables.DEFAULTS.inboxLow(), Duration.ofMinutes(1), Duration.ofMinutes(1),
            Tunables.DEFAULTS.slowHold(), Tunables.DEFAULTS.qos0OutboundBytes(), Tunables.DEFAULTS.storeMaxBatch());

    private static void floodAndReceiveAll(TestBroker broker, MqttConnectOptions subscriberOptions) throws Exception {
        try (RawClient publisher = RawClient.connected(broker, "flood")) {
            Inbox inbox = new Inbox();
            MqttClient subscriber = Paho.connect(broker, "reader", inbox, subscriberOptions);
            subscriber.subscribe("bp/#", 1);

            // Every PUBLISH in one write: the broker reads them far faster than Paho acknowledges
            // deliveries 20 at a time: without back-pressure all but 120 (20 in flight, 100 queued)
            // would be dropped.
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 1; i <= COUNT; i++) {
                burst.write(MqttBytes.publish("bp/t", 1, false, i, "m" + i));
            }
            publisher.send(burst.toByteArray());

            await().atMost(Duration.ofSeconds(30)).until(() -> inbox.size() == COUNT);
            assertThat(inbox.payloads())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, COUNT).mapToObj(i -> "m" + i).toList());
            assertThat(broker.broker().stats().publishDropped.sum()).isZero();
            Paho.closeQuietly(subscriber);
        }
    }

    @Test
    void aSubscriberThatStopsReadingHoldsNobodyBack() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 10);
             RawClient stuck = RawClient.connected(broker, "stuck")) {
            stuck.subscribe(1, "bp/t", 1); // and then never reads or acknowledges again
            Inbox inbox = new Inbox();
            MqttClient healthy = Paho.connect(broker, "healthy", inbox);
            healthy.subscribe("bp/t", 1);
            // Paho's in-flight count can lag behind a publish call's return on a busy machine; with its
            // default window of 10 that lag failed a publish with "Too many publishes in progress"
            // (32202). A window as large as the run cannot fill; the bounds below are unchanged.
            MqttConnectOptions wide = Paho.options();
            wide.setMaxInflight(100);
            MqttClient publisher = Paho.connect(broker, "pub", null, wide);

            // Each publish waits for its PUBACK. Held back at every message (half a second each)
            // these would take most of a minute; the stuck client may cost one pause, then none.
            CompletableFuture<Void> published = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= 100; i++) {
                        publisher.publish("bp/t", ("m" + i).getBytes(), 1, false);
                    }
                } catch (MqttException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(published::isDone);
            published.join(); // a failed publish fails the test

            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == 100);
            // 20 in flight and 10 queued for the stuck client; the other 70 dropped, as Mosquitto does.
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().stats().publishDropped.sum() == 70);
            Paho.closeQuietly(publisher);
            Paho.closeQuietly(healthy);
        }
    }

    /**
     * A backlog episode may hold publishers back for 10 s here (2 s by default), so that the
     * silence can be made several times a keep-alive's grace while the test's own pings come every
     * 300 ms: a busy machine would have to stall this test's thread for seconds to fail it.
     */
    private static final Tunables LONG_EPISODE = new Tunables(Tunables.DEFAULTS.memoryWindow(),
            Tunables.DEFAULTS.inboxHigh(), Tunables.DEFAULTS.inboxLow(), Duration.ofSeconds(2), Duration.ofSeconds(10),
            Tunables.DEFAULTS.slowHold(), Tunables.DEFAULTS.qos0OutboundBytes(), Tunables.DEFAULTS.storeMaxBatch());

    @Test
    void aPublisherHeldBackIsNotTimedOutForTheSilence() throws Exception {
        try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 100, LONG_EPISODE);
             LogCapture log = LogCapture.broker();
             RawClient slow = RawClient.connected(broker, "slow");
             RawClient publisher = RawClient.open(broker)) {
            slow.subscribe(1, "bp/k", 1);
            publisher.send(MqttBytes.connect("eager", 2)); // keep alive 2 s: 3 s of silence ends it
            publisher.expectConnack(0);
            // One acknowledgement every 100 ms: the subscriber makes progress but stays over its
            // mark (50 of 100 queued) for the 10 s a backlog may hold publishers, longer than 3 s.
            Thread acker = new Thread(() -> {
                try {
                    while (true) {
                        RawClient.Packet p = slow.read(RawClient.PUBLISH);
                        Thread.sleep(100);
                        slow.send(MqttBytes.puback(p.publishId()));
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acker.setDaemon(true);
            acker.start();

            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 1; i <= 300; i++) {
                burst.write(MqttBytes.publish("bp/k", 1, false, i, "m" + i));
            }
            publisher.send(burst.toByteArray());
            for (int i = 0; i < 20; i++) {
                Thread.sleep(300); // a client keeping its connection alive, read once the broker reads again
                publisher.send(MqttBytes.pingreq());
            }

            assertThat(publisher.closedByBrokerWithin(1000)).isFalse();
            assertThat(log.messages()).noneMatch(m -> m.contains("eager has exceeded timeout"));
        }
    }
}
