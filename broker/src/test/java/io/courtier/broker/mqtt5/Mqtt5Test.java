package io.courtier.broker.mqtt5;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** Starts real brokers on port 0 and closes them, with every client the test opened. */
abstract class Mqtt5Test {

    private final List<AutoCloseable> open = new ArrayList<>();
    Broker broker;

    Broker start(Consumer<BrokerConfig.Builder> config) {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        b.sysInterval = 0;
        config.accept(b);
        broker = Broker.start(b.build(), "test");
        open.add(broker);
        return broker;
    }

    Broker start() {
        return start(b -> { });
    }

    int port() {
        return broker.port();
    }

    <T extends AutoCloseable> T track(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    V5Client client(String id) throws Exception {
        return track(V5Client.connect(port(), id));
    }

    V5Client client(String id, Consumer<org.eclipse.paho.mqttv5.client.MqttConnectionOptions> options)
            throws Exception {
        return track(V5Client.connect(port(), id, options));
    }

    /**
     * Waits until the broker has seen the client's connection end: Paho's disconnect returns once
     * DISCONNECT is written, before the broker has read it (see TestBroker#awaitOffline).
     */
    void awaitOffline(String clientId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            io.courtier.broker.session.Session s = broker.sessions().get(clientId);
            return s == null || !s.isConnected();
        });
    }

    @AfterEach
    void closeAll() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        open.clear();
    }
}
