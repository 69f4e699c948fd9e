package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The listener directives that decide where and how many: socket_domain, bind_interface, max_connections. */
class ListenerOptionsTest {

    private static ListenerConfig listener(String bindAddress, String bindInterface, String socketDomain,
                                           int maxConnections) {
        return new ListenerConfig(0, bindAddress, bindInterface, socketDomain, ListenerProtocol.MQTT, maxConnections,
                null, null, null, null, 4096, io.courtier.broker.config.ListenerAdmission.DEFAULT,
                io.courtier.broker.config.ProxyProtocol.OFF, ListenerConfig.DEFAULT_MAX_TOPIC_ALIAS_BROKER,
                io.courtier.broker.config.ListenerLimits.NONE);
    }

    private static Broker start(ListenerConfig l) {
        return Broker.start(BrokerConfig.builder().listeners(List.of(l)).allowAnonymous(true).build(), "test");
    }

    private static MqttClient connect(int port, String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        c.connect(o);
        return c;
    }

    @Test
    void socketDomainIpv4BindsTheIpv4WildcardOnly() throws Exception {
        try (Broker b = start(listener(null, null, "ipv4", -1))) {
            InetSocketAddress a = b.boundAddresses().get(0);
            assertThat(a.getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(a.getAddress().isAnyLocalAddress()).isTrue();
            MqttClient c = connect(b.port(), "v4");
            c.disconnect();
            c.close();
        }
    }

    @Test
    void bindInterfaceBindsThatInterfacesAddress() throws Exception {
        String lo = NetworkInterface.networkInterfaces().filter(n -> {
            try {
                return n.isLoopback() && n.inetAddresses().anyMatch(a -> a instanceof Inet4Address);
            } catch (java.net.SocketException e) {
                return false;
            }
        }).findFirst().orElseThrow().getName();
        try (Broker b = start(listener(null, lo, null, -1))) {
            assertThat(b.boundAddresses().get(0).getAddress().isLoopbackAddress()).isTrue();
            MqttClient c = connect(b.port(), "via-lo");
            c.disconnect();
            c.close();
        }
    }

    @Test
    void unknownInterfaceStopsStartUp() {
        assertThatThrownBy(() -> start(listener(null, "nosuchif0", null, -1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Unable to find interface nosuchif0 (bind_interface).");
    }

    @Test
    void maxConnectionsRefusesTheOneTooManyAndFreesTheSlotOnClose() throws Exception {
        try (Broker b = start(listener("127.0.0.1", null, null, 1))) {
            MqttClient first = connect(b.port(), "first");
            assertThatThrownBy(() -> connect(b.port(), "second")).isInstanceOf(MqttException.class);
            first.disconnect();
            first.close();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                MqttClient again = connect(b.port(), "again");
                again.disconnect();
                again.close();
                return true;
            });
        }
    }
}
