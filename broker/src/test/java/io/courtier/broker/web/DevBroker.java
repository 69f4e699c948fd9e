package io.courtier.broker.web;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.util.List;

/**
 * For working on the console by hand, not part of the suite: {@code mvn -pl broker -am test
 * -Dtest=DevBroker -Ddev.ports=1883,9001,8080 -Dsurefire.failIfNoSpecifiedTests=false} runs a
 * broker with MQTT, websockets and console listeners on those ports, sys_interval 1, until killed.
 */
class DevBroker {

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "dev.ports", matches = ".+")
    void run() throws Exception {
        String[] args = System.getProperty("dev.ports").split(",");
        BrokerConfig.Builder b = BrokerConfig.builder().listeners(List.of(
                ListenerConfig.mqtt(Integer.parseInt(args[0]), "127.0.0.1"),
                ListenerConfig.mqtt(Integer.parseInt(args[1]), "127.0.0.1").withProtocol(ListenerProtocol.WEBSOCKETS),
                ListenerConfig.mqtt(Integer.parseInt(args[2]), "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(true);
        b.sysInterval = 1;
        try (Broker broker = Broker.start(b.build(), "dev")) {
            System.out.println("ports " + broker.boundAddresses());
            Thread.currentThread().join();
        }
    }
}
