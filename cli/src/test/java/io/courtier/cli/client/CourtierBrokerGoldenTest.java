package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The golden comparison again, through a Courtier broker: Debian's mosquitto_sub and courtier sub
 * side by side, same flags, same messages (published by mosquitto_pub), byte-identical output.
 * Both subscriptions are known to be in place when $SYS/broker/subscriptions/count says so.
 */
class CourtierBrokerGoldenTest {

    private static Broker broker;
    private static MqttClient watcher;
    private static final AtomicLong SUBSCRIPTIONS = new AtomicLong(-1);
    private static final AtomicInteger CASE = new AtomicInteger();
    /** Subscriptions with no test running: the watcher's own. */
    private static long idle;

    @BeforeAll
    static void start() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().listener(0).allowAnonymous(true);
        b.sysInterval = 1;
        broker = Broker.start(b.build(), "test");
        watcher = new MqttClient("tcp://127.0.0.1:" + broker.port(), "golden-watcher", new MemoryPersistence());
        watcher.connect();
        watcher.subscribe("$SYS/broker/subscriptions/count", 0, (t, m) ->
                SUBSCRIPTIONS.set(Long.parseLong(new String(m.getPayload(), StandardCharsets.US_ASCII))));
        await().atMost(Duration.ofSeconds(10)).until(() -> SUBSCRIPTIONS.get() >= 1);
        idle = SUBSCRIPTIONS.get();
    }

    @AfterAll
    static void stop() throws Exception {
        watcher.disconnect();
        watcher.close();
        broker.close();
    }

    @Test
    void verboseAtEveryQos() {
        run(List.of("-v", "-q", "1"), 5);
    }

    @Test
    void formatWithMessageFields() {
        run(List.of("-q", "1", "-F", "%t|%p|%q|%r|%l|%m|%x"), 5);
    }

    @Test
    void skipRetained() {
        run(List.of("-v", "-R"), 3);
    }

    @Test
    void retainedOnly() {
        run(List.of("-v", "--retained-only"), 0);
    }

    @Test
    void mqtt5PropertiesAsJson() {
        run(List.of("-V", "mqttv5", "-q", "1", "-F", "%j"), 5);
    }

    private void run(List<String> flags, int count) {
        String root = "cgolden" + CASE.incrementAndGet() + "-" + ProcessHandle.current().pid();
        String port = Integer.toString(broker.port());
        publish(port, root + "/r1", "stale", 0, true);
        publish(port, root + "/r2", "older", 1, true);
        // r1 went at QoS 0 on its own connection, maybe another event loop: r2's PUBACK does not
        // say the broker has read it. The subscribers below must find it retained.
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.context().retained().get(root + "/r1") != null);
        // The count is published once a second: let the previous case's subscribers be gone from it.
        await().atMost(Duration.ofSeconds(10)).until(() -> SUBSCRIPTIONS.get() == idle);
        List<String> args = new ArrayList<>(List.of("-p", port, "-t", root + "/#"));
        args.addAll(flags);
        if (count > 0) {
            args.addAll(List.of("-C", Integer.toString(count)));
        }
        Run.Proc m = Run.mosquitto("mosquitto_sub", args.toArray(String[]::new));
        Run.Sub c = Run.courtierSub(args.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10)).until(() -> SUBSCRIPTIONS.get() == idle + 2);
        publish(port, root + "/a", "hello", 0, false, "-V", "5", "-D", "publish", "content-type", "text/plain",
                "-D", "publish", "user-property", "k", "v");
        publish(port, root + "/b", "caf\u00e9 \"q\"", 1, false);
        publish(port, root + "/c", "last", 1, false);
        Run.Result rm = m.await();
        Run.Result rc = c.await();
        assertThat(rc.out().replaceAll("\"tst\":\"[^\"]*\"", "\"tst\":\"T\""))
                .as("stdout of courtier sub %s", flags)
                .isEqualTo(rm.out().replaceAll("\"tst\":\"[^\"]*\"", "\"tst\":\"T\""))
                .isNotEmpty();
        assertThat(rc.status()).isEqualTo(rm.status());
    }

    private static void publish(String port, String topic, String payload, int qos, boolean retain, String... extra) {
        List<String> args = new ArrayList<>(List.of("-p", port, "-t", topic, "-m", payload, "-q", Integer.toString(qos)));
        if (retain) {
            args.add("-r");
        }
        args.addAll(List.of(extra));
        Run.Result r = Run.mosquittoNow("mosquitto_pub", args.toArray(String[]::new));
        assertThat(r.status()).as(r.stderr()).isZero();
    }
}
