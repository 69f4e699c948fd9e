package io.courtier.broker.config;

import static io.courtier.testkit.Mqtt5Bytes.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * max_qos (alias maximum_qos), max_topic_alias and max_keepalive: broker-wide before the first
 * listener, that listener's own inside a listener block, as Mosquitto scopes max_qos and
 * max_topic_alias.
 */
class ListenerLimitsTest {

    @TempDir
    Path tmp;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(tmp);
    }

    @Test
    void beforeAnyListenerTheyAreBrokerWide() throws Exception {
        BrokerConfig c = files.config("max_qos 1", "max_topic_alias 3", "max_keepalive 20", "listener 0");
        assertThat(c.maxQos()).isEqualTo(1);
        assertThat(c.maxTopicAlias()).isEqualTo(3);
        assertThat(c.maxKeepalive()).isEqualTo(20);
        assertThat(c.listeners().get(0).limits()).isEqualTo(ListenerLimits.NONE);
    }

    @Test
    void maximumQosIsAnAliasOfMaxQos() throws Exception {
        assertThat(files.config("maximum_qos 0", "listener 0").maxQos()).isZero();
    }

    @Test
    void insideAListenerTheyAreItsOwn() throws Exception {
        BrokerConfig c = files.config("max_qos 1", "listener 0", "max_qos 0", "max_topic_alias 2",
                "max_keepalive 15", "listener 0");
        ListenerLimits first = c.listeners().get(0).limits();
        ListenerLimits second = c.listeners().get(1).limits();
        assertThat(first.maxQos(c)).isZero();
        assertThat(first.maxTopicAlias(c)).isEqualTo(2);
        assertThat(first.maxKeepalive(c)).isEqualTo(15);
        assertThat(second.maxQos(c)).isEqualTo(1);
        assertThat(second.maxTopicAlias(c)).isEqualTo(10);
        assertThat(second.maxKeepalive(c)).isEqualTo(65535);
    }

    @Test
    void outOfRangeValuesStopStartUp() throws Exception {
        assertThat(files.error("listener 0", "max_qos 3")).contains(":2: Invalid max_qos value (3)");
        assertThat(files.error("listener 0", "max_keepalive 5")).contains(":2: Invalid max_keepalive value (5)");
    }

    /** One broker, two ports: each answers with its own limits. */
    @Test
    void eachListenerAnswersWithItsOwnLimits() throws Exception {
        BrokerConfig c = files.config("allow_anonymous true", "listener 0 127.0.0.1", "max_qos 0",
                "max_topic_alias 2", "max_keepalive 15", "listener 0 127.0.0.1");
        try (Broker broker = Broker.start(c, "test")) {
            int limited = broker.boundAddresses().get(0).getPort();
            int open = broker.boundAddresses().get(1).getPort();
            // Topic Alias Maximum 2, Server Keep Alive 15, Receive Maximum 20, Maximum QoS 0.
            assertThat(connack(limited)).isEqualTo("200e00000b22000213000f2100142400");
            assertThat(connack(open)).isEqualTo("200900000622000a210014");
            try (RawClient c1 = RawClient.open(limited)) {
                c1.send(MqttBytes.connect("q", 10)).expectConnack(0); // within its max_keepalive 15
                assertThat(c1.subscribe(1, "t", 2)).isZero();
            }
            try (RawClient c2 = RawClient.open(open)) {
                c2.send(MqttBytes.connect("q2", 60)).expectConnack(0);
                assertThat(c2.subscribe(1, "t", 2)).isEqualTo(2);
            }
        }
    }

    /**
     * MQTT 3.1.1 has no Server Keep Alive: a client asking for more than max_keepalive is refused
     * with "identifier rejected", as Mosquitto 2.0.12 and later do (its test 01-connect-max-keepalive).
     */
    @Test
    void a311ClientAskingForMoreThanMaxKeepaliveIsRefused() throws Exception {
        BrokerConfig c = files.config("allow_anonymous true", "max_keepalive 30", "listener 0 127.0.0.1");
        try (Broker broker = Broker.start(c, "test")) {
            try (RawClient over = RawClient.open(broker.port())) {
                over.send(MqttBytes.connect("k", 31)).expectConnack(2);
                assertThat(over.closedByBroker()).isTrue();
            }
            try (RawClient within = RawClient.open(broker.port())) {
                within.send(MqttBytes.connect("k", 30)).expectConnack(0);
            }
        }
    }

    private static String connack(int port) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect("limits", 60, new byte[0]));
            RawClient.Packet p = c.read(RawClient.CONNACK);
            byte[] body = p.body();
            return HexFormat.of().formatHex(new byte[] {(byte) p.firstByte(), (byte) body.length})
                    + HexFormat.of().formatHex(body);
        }
    }
}
