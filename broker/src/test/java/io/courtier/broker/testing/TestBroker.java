package io.courtier.broker.testing;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.Tunables;
import io.courtier.testkit.MqttEndpoint;
import java.util.function.Consumer;

/**
 * A real {@link Broker} on an ephemeral port (port 0: other engineers run tests at the same
 * time), anonymous clients allowed, otherwise Mosquitto's defaults (so $SYS is published at
 * start and every 10 s; set {@code b.sysInterval = 0} to turn it off). Close it in
 * a try-with-resources or an {@code @AfterEach}.
 *
 * <pre>{@code
 * try (TestBroker broker = TestBroker.start()) {
 *     MqttClient c = new MqttClient(broker.uri(), "id", new MemoryPersistence());
 * }
 * try (TestBroker broker = TestBroker.start(b -> b.maxQueuedMessages = 5)) { ... }
 * }</pre>
 */
public final class TestBroker implements AutoCloseable, MqttEndpoint {

    /** The version string tests start brokers with; $SYS/broker/version says "courtier version test". */
    public static final String VERSION = "test";

    static {
        // Conditions on a local broker turn true within milliseconds; Awaitility's default 100 ms
        // polling would add a tenth of a second to every wait. Global, on purpose, for every test.
        org.awaitility.Awaitility.setDefaultPollDelay(java.time.Duration.ZERO);
        org.awaitility.Awaitility.setDefaultPollInterval(java.time.Duration.ofMillis(10));
    }

    private final Broker broker;

    private TestBroker(Broker broker) {
        this.broker = broker;
    }

    public static TestBroker start() {
        return start(b -> { });
    }

    /** Starts with the test defaults, then the caller's changes to the builder. */
    public static TestBroker start(Consumer<BrokerConfig.Builder> customize) {
        return start(customize, Broker.DEFAULT_CONNECT_TIMEOUT_MILLIS);
    }

    /** As {@link #start(Consumer)} with a connect timeout (for tests of sockets that never send CONNECT). */
    public static TestBroker start(Consumer<BrokerConfig.Builder> customize, long connectTimeoutMillis) {
        return new TestBroker(Broker.start(config(customize), VERSION, connectTimeoutMillis));
    }

    /** As {@link #start(Consumer)} with internal limits or timers of the test's choosing. */
    public static TestBroker start(Consumer<BrokerConfig.Builder> customize, Tunables tunables) {
        return new TestBroker(Broker.start(config(customize), VERSION, Broker.DEFAULT_CONNECT_TIMEOUT_MILLIS, null,
                tunables));
    }

    /** The configuration {@link #start(Consumer)} uses, for tests that start a {@link Broker} themselves. */
    public static BrokerConfig config(Consumer<BrokerConfig.Builder> customize) {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        customize.accept(b);
        return b.build();
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public int port() {
        return broker.port();
    }

    /**
     * Waits until the broker has seen this client's connection end (its session detached or gone).
     * A client library's disconnect() returns once DISCONNECT is written, before the broker has
     * read it: a test that then expects "offline" behaviour (queueing, no session to take over)
     * must wait for the broker's side, or it races the broker's event loop.
     */
    public void awaitOffline(String clientId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            io.courtier.broker.session.Session s = broker.sessions().get(clientId);
            return s == null || !s.isConnected();
        });
    }

    @Override
    public void close() {
        broker.close();
    }
}
