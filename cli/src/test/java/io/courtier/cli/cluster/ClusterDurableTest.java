package io.courtier.cli.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's fault with {@code persistence true} on every node: the publisher's PUBACK then
 * waits for its own node's group commit and for the parked queues' copies in the cluster, and
 * killing the node the sessions were parked from still loses no acknowledged message.
 */
class ClusterDurableTest {

    @TempDir
    static Path dir;
    static ClusterNodes cluster;
    private final List<Received> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ClusterNodes(dir, 3, "sys_interval 1", "persistence true",
                "persistence_location " + dir.resolve("%n") + "/").start();
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
    void killingTheNodeOfOfflineSessionsMidStreamLosesNoAcknowledgedMessage() throws Exception {
        OfflineStreamFault.run(cluster, clients, 0);
    }
}
