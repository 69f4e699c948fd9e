package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.awaitFlowing;
import static io.courtier.broker.bridge.BridgeFixture.paho;
import static io.courtier.broker.bridge.BridgeFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.testing.MosquittoBroker;
import io.courtier.broker.testing.Paho;
import io.courtier.broker.testing.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The other way round: Debian's mosquitto bridges to Courtier with the issue's connection block
 * (MQTT 3.1.1 with try_private, and 5). Courtier takes the bridge bit (protocol level 0x84) and,
 * as Mosquitto does for a bridge, keeps the bridge's own messages from coming back to it.
 */
class MosquittoBridgesToCourtierTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void theIssuesBlockWorksUnchangedInMosquittoTowardsCourtier(String protocol) throws Exception {
        try (TestBroker courtier = TestBroker.start();
             MosquittoBroker edge = MosquittoBroker.start(dir,
                     "connection school",
                     "address 127.0.0.1:" + courtier.port(),
                     "topic maison/# out 1 \"\" pi42/",
                     "topic commandes/# in 1 \"\" pi42/",
                     "topic echo/# both 1",
                     "remote_clientid pi42",
                     "cleansession false",
                     "bridge_protocol_version " + protocol)) {
            Paho.Inbox central = new Paho.Inbox();
            Paho.Inbox atEdge = new Paho.Inbox();
            MqttClient c = paho(courtier.port(), "central", central, true);
            MqttClient e = paho(edge.port(), "at-edge", atEdge, true);
            try {
                c.subscribe(new String[] {"pi42/#", "echo/#", "$SYS/broker/connection/pi42/state"},
                        new int[] {1, 1, 1});
                e.subscribe(new String[] {"commandes/#", "echo/#"}, new int[] {1, 1});
                awaitFlowing(e, "maison/probe", central);
                awaitFlowing(c, "pi42/commandes/probe", atEdge);
                publish(e, "maison/salon/temp", "21.5", 1, false);
                publish(c, "pi42/commandes/led", "on", 1, false);
                publish(e, "echo/from-edge", "edge", 1, false);
                publish(c, "echo/from-central", "central", 1, false);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(central.payloads()).contains("21.5", "edge");
                    assertThat(atEdge.payloads()).contains("on", "central");
                });
                publish(e, "maison/fence", "fence", 1, false); // one more round trip before counting
                await().atMost(Duration.ofSeconds(20)).until(() -> central.payloads().contains("fence"));
                assertThat(central.messages()).filteredOn(m -> m.payload().equals("21.5")).singleElement()
                        .satisfies(m -> assertThat(m.topic()).isEqualTo("pi42/maison/salon/temp"));
                assertThat(atEdge.messages()).filteredOn(m -> m.payload().equals("on")).singleElement()
                        .satisfies(m -> assertThat(m.topic()).isEqualTo("commandes/led"));
                for (String p : List.of("edge", "central")) {
                    assertThat(central.messages()).filteredOn(m -> m.payload().equals(p)).hasSize(1);
                    assertThat(atEdge.messages()).filteredOn(m -> m.payload().equals(p)).hasSize(1);
                }
                assertThat(central.messages()).anySatisfy(m -> {
                    assertThat(m.topic()).isEqualTo("$SYS/broker/connection/pi42/state");
                    assertThat(m.payload()).isEqualTo("1");
                });
            } finally {
                Paho.closeQuietly(c);
                Paho.closeQuietly(e);
            }
        }
    }
}
