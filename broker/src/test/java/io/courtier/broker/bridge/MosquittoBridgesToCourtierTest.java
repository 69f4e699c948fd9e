package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.awaitFlowing;
import static io.courtier.broker.bridge.BridgeFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.bridge.BridgeFixture.Ends;
import io.courtier.broker.testing.TestBroker;
import io.courtier.testkit.MosquittoBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
                     "bridge_protocol_version " + protocol);
             Ends x = new Ends(courtier.port(), edge.port())) {
            x.h.subscribe(new String[] {"pi42/#", "echo/#", "$SYS/broker/connection/pi42/state"},
                    new int[] {1, 1, 1});
            x.t.subscribe(new String[] {"commandes/#", "echo/#"}, new int[] {1, 1});
            awaitFlowing(x.t, "maison/probe", x.here);
            awaitFlowing(x.h, "pi42/commandes/probe", x.there);
            publish(x.t, "maison/salon/temp", "21.5", 1, false);
            publish(x.h, "pi42/commandes/led", "on", 1, false);
            publish(x.t, "echo/from-edge", "edge", 1, false);
            publish(x.h, "echo/from-central", "central", 1, false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(x.here.payloads()).contains("21.5", "edge");
                assertThat(x.there.payloads()).contains("on", "central");
            });
            publish(x.t, "maison/fence", "fence", 1, false); // one more round trip before counting
            await().atMost(Duration.ofSeconds(20)).until(() -> x.here.payloads().contains("fence"));
            assertThat(x.here.messages()).filteredOn(m -> m.payload().equals("21.5")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("pi42/maison/salon/temp"));
            assertThat(x.there.messages()).filteredOn(m -> m.payload().equals("on")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("commandes/led"));
            for (String p : List.of("edge", "central")) {
                assertThat(x.here.messages()).filteredOn(m -> m.payload().equals(p)).hasSize(1);
                assertThat(x.there.messages()).filteredOn(m -> m.payload().equals(p)).hasSize(1);
            }
            assertThat(x.here.messages()).anySatisfy(m -> {
                assertThat(m.topic()).isEqualTo("$SYS/broker/connection/pi42/state");
                assertThat(m.payload()).isEqualTo("1");
            });
        }
    }
}
