package io.courtier.broker.transport;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A one-off measurement, not part of the suite (timings belong in benchmarks): Paho publishes
 * QoS 0 messages to a Paho subscriber, once over TCP and once over WebSockets, through the same
 * broker. {@code mvn -pl broker -am test -Dtest=WebSocketThroughputMeasure -Dcourtier.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Paho's own cost dominates; it shows the WebSocket
 * framing's share, not the broker's ceiling.
 */
class WebSocketThroughputMeasure {

    private static final int MESSAGES = 200_000;
    private static final byte[] PAYLOAD = new byte[100];

    @Test
    @EnabledIfSystemProperty(named = "courtier.measure", matches = "true")
    void tcpVersusWebSockets() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().listeners(List.of(
                        ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.WEBSOCKETS)))
                .allowAnonymous(true).build(), "measure")) {
            String tcp = "tcp://127.0.0.1:" + broker.boundAddresses().get(0).getPort();
            String ws = "ws://127.0.0.1:" + broker.boundAddresses().get(1).getPort() + "/mqtt";
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                System.out.printf("round %d: tcp %,d msg/s, ws %,d msg/s%n", round, rate(tcp), rate(ws));
            }
        }
    }

    private static long rate(String uri) throws Exception {
        CountDownLatch got = new CountDownLatch(MESSAGES);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(65_535);
        MqttClient sub = new MqttClient(uri, "measure-sub", new MemoryPersistence());
        sub.connect(o);
        sub.subscribe("measure/t", 0, (t, m) -> got.countDown());
        MqttClient pub = new MqttClient(uri, "measure-pub", new MemoryPersistence());
        pub.connect(o);
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            pub.publish("measure/t", PAYLOAD, 0, false);
        }
        got.await(120, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        long received = MESSAGES - got.getCount();
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
        return received * 1_000_000_000L / nanos;
    }
}
