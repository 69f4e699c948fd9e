package io.courtier.broker.persistence;

import io.courtier.broker.config.Tunables;
import static io.courtier.broker.persistence.PersistenceFixtures.client;
import static io.courtier.broker.persistence.PersistenceFixtures.durable;
import static io.courtier.broker.persistence.PersistenceFixtures.options;
import static io.courtier.broker.persistence.PersistenceFixtures.publishAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.session.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent session's queue beyond {@code Tunables.memoryWindow} messages stays on disk:
 * memory holds a bounded window, and the client still gets every message, in order, once.
 */
class QueuePagingTest {

    private static final int MESSAGES = Tunables.DEFAULTS.memoryWindow() * 3;

    @TempDir
    Path tmp;

    private static List<String> expected(String topic, String prefix, int count) {
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(topic + "=" + prefix + i);
        }
        return list;
    }

    private static void subscribeAndLeave(int port, String id, String filter) throws Exception {
        MqttClient sub = client(port, id);
        sub.connect(options(false));
        sub.subscribe(filter, 1);
        sub.disconnect();
        sub.close();
    }

    @Test
    void aLongOfflineQueueKeepsABoundedWindowInMemoryAndIsDeliveredInOrder() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            subscribeAndLeave(broker.port(), "pager", "p/#");
            publishAll(broker.port(), "pub", "p/1", 1, "m", MESSAGES);
            Session s = broker.sessions().get("pager");
            await().atMost(Duration.ofSeconds(20)).until(() -> s.queuedCount() == MESSAGES);
            assertThat(s.queuedInMemory()).isLessThanOrEqualTo(Tunables.DEFAULTS.memoryWindow());

            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port(), "pager");
            sub.setCallback(got);
            sub.connect(options(false));
            await().atMost(Duration.ofSeconds(60)).until(() -> got.all.size() >= MESSAGES);
            assertThat(got.all).isEqualTo(expected("p/1", "m", MESSAGES));
            sub.disconnect();
            sub.close();
        }
    }

    @Test
    void afterARestartOnlyTheWindowIsLoadedAndTheRestIsReadInOrder() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            subscribeAndLeave(broker.port(), "pager", "p/#");
            publishAll(broker.port(), "pub", "p/1", 1, "m", MESSAGES);
        }
        try (Broker broker = Broker.start(config, "test")) {
            Session s = broker.sessions().get("pager");
            assertThat(s.queuedCount()).isEqualTo(MESSAGES);
            assertThat(s.queuedInMemory()).isEqualTo(Tunables.DEFAULTS.memoryWindow());
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port(), "pager");
            sub.setCallback(got);
            sub.connect(options(false));
            await().atMost(Duration.ofSeconds(60)).until(() -> got.all.size() >= MESSAGES);
            assertThat(got.all).isEqualTo(expected("p/1", "m", MESSAGES));
            sub.disconnect();
            sub.close();
        }
    }

    @Test
    void publishingWhileTheQueueIsReadBackLosesAndDuplicatesNothing() throws Exception {
        BrokerConfig config = durable(tmp).build();
        try (Broker broker = Broker.start(config, "test")) {
            subscribeAndLeave(broker.port(), "pager", "p/#");
            publishAll(broker.port(), "pub", "p/1", 1, "a", MESSAGES);
            PersistenceFixtures.Received got = new PersistenceFixtures.Received();
            MqttClient sub = client(broker.port(), "pager");
            sub.setCallback(got);
            Thread more = new Thread(() -> {
                try {
                    publishAll(broker.port(), "pub2", "p/2", 1, "b", MESSAGES);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            more.start();
            sub.connect(options(false));
            more.join(60_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> got.all.size() >= 2 * MESSAGES);
            assertThat(got.all.stream().filter(m -> m.startsWith("p/1=")).toList())
                    .isEqualTo(expected("p/1", "a", MESSAGES));
            assertThat(got.all.stream().filter(m -> m.startsWith("p/2=")).toList())
                    .isEqualTo(expected("p/2", "b", MESSAGES));
            assertThat(got.all).hasSize(2 * MESSAGES);
            sub.disconnect();
            sub.close();
        }
    }
}
