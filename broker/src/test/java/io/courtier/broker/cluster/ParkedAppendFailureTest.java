package io.courtier.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.courtier.broker.config.Tunables;
import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.testing.LogCapture;
import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An append to a parked session's queue that the cluster cannot take (here: the member is shut
 * down, a real one-member Hazelcast cluster in this JVM) is tried again, then dropped for that
 * session as a full queue drops a message: counted, logged once without a stack trace, and its
 * publisher acknowledged all the same (the confirmation completes normally), so that a resend
 * does not duplicate what subscribers on the node already got.
 */
class ParkedAppendFailureTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private HazelcastInstance hz;

    @AfterEach
    void stop() {
        timer.shutdownNow();
        if (hz != null) {
            hz.shutdown();
        }
    }

    private static HazelcastInstance member() {
        Config config = new Config();
        config.setClusterName("parked-append-" + System.nanoTime());
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(0).getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getRestApiConfig().setEnabled(false);
        ParkedSessions.configure(config, 0);
        return Hazelcast.newHazelcastInstance(config);
    }

    private static Message message(String payload) {
        return new Message("t/a", 1, false, Properties.NONE, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8),
                "pub");
    }

    /** Offers a QoS 1 message as the router does; returns what the publisher's acknowledgement waits for. */
    private static CompletableFuture<?> offer(ParkedTarget target, String payload) {
        Congestion congestion = new Congestion();
        Message m = message(payload);
        try {
            target.offer(m, 1, false, Message.NO_IDS, null, congestion);
        } finally {
            m.release();
        }
        return congestion.takeConfirmation();
    }

    @Test
    void anAppendTheClusterCannotTakeIsDroppedCountedLoggedAndItsPublisherAcknowledged() throws Exception {
        hz = member();
        AtomicInteger dropped = new AtomicInteger();
        ParkedDisk disk = new ParkedDisk(null); // persistence false: nothing kept on disk
        ParkedSessions parked = new ParkedSessions("n1", hz.getMap(ParkedSessions.HEADERS),
                hz.getMap(ParkedSessions.QUEUES), hz.getMap(ParkedSessions.ENDED), broker(dropped), null,
                () -> Set.of("n1"), timer, Runnable::run, null, (node, frame) -> { }, disk);
        ParkedTarget target = new ParkedTarget("c1",
                List.of(new Subscriber(ParkedSessions.PREFIX + "c1", null, "t/#", 1, false, false, 0, 0)), parked,
                hz.getMap(ParkedSessions.QUEUES), disk, 1, null);

        offer(target, "first").get(); // the cluster has it
        assertThat(hz.<String, ParkedQueue>getMap(ParkedSessions.QUEUES).get("c1").entries).hasSize(1);

        try (LogCapture log = LogCapture.broker()) {
            hz.shutdown();
            CompletableFuture<?> acknowledged = offer(target, "second");
            await().atMost(Duration.ofSeconds(60)).until(acknowledged::isDone);
            assertThat(acknowledged).isCompletedWithValue(null); // the publisher gets its PUBACK
            assertThat(dropped.get()).isEqualTo(1);
            assertThat(log.messages()).filteredOn(l -> l.contains("Client c1 (parked in the cluster): 1 message(s) "
                    + "dropped, the cluster could not queue them")).hasSize(1);
            assertThat(log.anyThrowable()).isFalse();
        }
    }

    /** What the parked target asks of its broker: the queue limits, and where drops are counted. */
    private static ClusterBroker broker(AtomicInteger dropped) {
        TopicTree tree = new TopicTree();
        RetainedStore retained = new RetainedStore();
        return new ClusterBroker() {
            @Override
            public TopicTree tree() {
                return tree;
            }

            @Override
            public RetainedStore retained() {
                return retained;
            }

            @Override
            public io.courtier.broker.persistence.Store store() {
                return null;
            }

            @Override
            public void deliverForwarded(Message message, String shareGroup, String shareFilter, Set<String> refused,
                                         Congestion congestion) {
            }

            @Override
            public Tunables tunables() {
                return Tunables.DEFAULTS;
            }

            @Override
            public int maxQueuedMessages() {
                return 1000;
            }

            @Override
            public long maxQueuedBytes() {
                return 0;
            }

            @Override
            public boolean queueQos0Messages() {
                return false;
            }

            @Override
            public io.courtier.broker.session.Session session(String clientId) {
                return null;
            }

            @Override
            public void dropped(int count) {
                dropped.addAndGet(count);
            }

            @Override
            public void afterRouted(Runnable then) {
                then.run();
            }

            @Override
            public void publishWill(Message will) {
            }

            @Override
            public void takenOver(String clientId) {
            }

            @Override
            public void attach(DeliveryTarget peer) {
            }

            @Override
            public void detach(DeliveryTarget peer) {
            }

            @Override
            public Loops loops() {
                return null;
            }
        };
    }
}
