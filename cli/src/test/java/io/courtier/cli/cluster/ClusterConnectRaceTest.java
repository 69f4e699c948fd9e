package io.courtier.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CONNECTs with the same client id (clean session 0) reaching one node at the same moment,
 * while the client's session is parked in the cluster. As on one broker, one connection ends up
 * with the session (the other is taken over or loses), its subscription kept: a message
 * published on another node afterwards reaches it.
 */
class ClusterConnectRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 3;
    /** How long a racing connect waits: the one taken over right after its CONNACK can make Paho wait for ever. */
    private static final Duration RACER_WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ClusterNodes(dir, 2, "sys_interval 1");
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Received::close);
    }

    @Test
    void theSurvivorOfTwoSimultaneousConnectsKeepsTheParkedSubscription() throws Exception {
        Received pub = Received.connect(cluster.get(1), "race-pub", true);
        clients.add(pub);
        for (int i = 0; i < ROUNDS; i++) {
            String id = "race-" + i;
            String topic = "race/" + i;
            Received sub = Received.connect(cluster.get(1), id, false);
            sub.client.subscribe(topic, 1);
            sub.close();
            OfflineStreamFault.awaitParked(cluster, 1, id, 2, 1);

            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Received> a = connectAfter(go, id);
            CompletableFuture<Received> b = connectAfter(go, id);
            go.countDown();
            List<Received> both = new ArrayList<>();
            for (CompletableFuture<Received> f : List.of(a, b)) {
                Received r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (r != null) {
                    both.add(r);
                    clients.add(r);
                }
            }
            assertThat(both).as(id + ": at least one connection got CONNACK").isNotEmpty();
            // One connection keeps the session; any other was taken over, as on one broker.
            await().atMost(WAIT).until(() -> both.stream().filter(r -> r.client.isConnected()).count() == 1);
            Received survivor = both.stream().filter(r -> r.client.isConnected()).findFirst().orElseThrow();
            assertThat(survivor.sessionPresent).as(id + ": session present").isTrue();

            pub.publish(topic, "after", 1, false);
            await(id + ": the survivor gets what is published to its subscription").atMost(WAIT)
                    .until(() -> survivor.payloadsOn(topic).contains("after"));
            assertThat(survivor.client.isConnected()).isTrue();
        }
    }

    /** Connects once {@code go} opens; null when the connection was refused or closed before CONNACK. */
    private static CompletableFuture<Received> connectAfter(CountDownLatch go, String id) {
        CompletableFuture<Received> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                go.await();
                result.complete(Received.connect(cluster.get(2), id, false, RACER_WAIT.toMillis()));
            } catch (Exception e) {
                result.complete(null); // taken over around its CONNACK: the other one has the session
            }
        });
        t.start();
        return result;
    }
}
