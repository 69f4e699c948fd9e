package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.awaitFlowing;
import static io.courtier.broker.bridge.BridgeFixture.courtier;
import static io.courtier.broker.bridge.BridgeFixture.paho;
import static io.courtier.broker.bridge.BridgeFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.bridge.BridgeFixture.Ends;
import io.courtier.broker.security.TestCertificates;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.Paho;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Courtier bridging to Debian's mosquitto (a real process on a free port) with the issue's
 * configuration: out, in and both topics with prefixes, QoS 0/1/2, retained messages, the state
 * notification, over MQTT 3.1.1 and 5. Paho clients on both sides.
 */
class BridgeToMosquittoTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void outInAndBothTopicsCrossWithTheirPrefixesOnceEach(String protocol) throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + remote.port(),
                     "topic maison/# out 1 \"\" pi42/",
                     "topic commandes/# in 1 \"\" pi42/",
                     "topic echo/# both 2 local/ remote/",
                     "topic zero/# out 0",
                     "remote_clientid pi42",
                     "cleansession false",
                     "restart_timeout 1",
                     "bridge_protocol_version " + protocol);
             Ends x = new Ends(local.port(), remote.port())) {
            x.h.subscribe(new String[] {"commandes/#", "local/#", "$SYS/broker/connection/#"}, new int[] {2, 2, 0});
            x.t.subscribe(new String[] {"pi42/#", "remote/#", "zero/#", "$SYS/broker/connection/pi42/state"},
                    new int[] {2, 2, 0, 1});
            awaitFlowing(x.t, "pi42/commandes/probe", x.here);
            awaitFlowing(x.h, "maison/probe", x.there);

            publish(x.h, "maison/salon/temp", "21.5", 1, false);
            publish(x.h, "zero/x", "z", 0, false);
            publish(x.t, "pi42/commandes/led", "on", 1, false);
            publish(x.h, "local/echo/a", "from here", 2, false);
            publish(x.t, "remote/echo/b", "from there", 2, false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(x.there.payloads()).containsAll(List.of("21.5", "z", "from here", "from there"));
                assertThat(x.here.payloads()).containsAll(List.of("on", "from here", "from there"));
            });
            // Give a loop the time to show itself before counting: a second bridged round trip.
            publish(x.h, "maison/fence", "fence", 1, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> x.there.payloads().contains("fence"));

            assertThat(x.there.messages()).filteredOn(m -> m.payload().equals("21.5")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("pi42/maison/salon/temp"));
            assertThat(x.there.messages()).filteredOn(m -> m.payload().equals("z")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("zero/x"));
            assertThat(x.here.messages()).filteredOn(m -> m.payload().equals("on")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("commandes/led"));
            // both: each side gets the other's message once, under its own prefix, and its own
            // message never comes back.
            assertThat(x.there.messages()).filteredOn(m -> m.payload().equals("from here")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("remote/echo/a"));
            assertThat(x.here.messages()).filteredOn(m -> m.payload().equals("from here")).hasSize(1);
            assertThat(x.here.messages()).filteredOn(m -> m.payload().equals("from there")).singleElement()
                    .satisfies(m -> assertThat(m.topic()).isEqualTo("local/echo/b"));
            assertThat(x.there.messages()).filteredOn(m -> m.payload().equals("from there")).hasSize(1);
            // Notifications: x.here and on the remote broker, retained, named after remote_clientid.
            assertThat(x.here.messages()).anySatisfy(m -> {
                assertThat(m.topic()).isEqualTo("$SYS/broker/connection/pi42/state");
                assertThat(m.payload()).isEqualTo("1");
            });
            assertThat(x.there.messages()).anySatisfy(m -> {
                assertThat(m.topic()).isEqualTo("$SYS/broker/connection/pi42/state");
                assertThat(m.payload()).isEqualTo("1");
            });
            assertThat(local.bridges()).singleElement().satisfies(b -> {
                assertThat(b.connected()).isTrue();
                assertThat(b.remoteClientId()).isEqualTo("pi42");
            });
        }
    }

    @Test
    void aQos0FloodThatFillsTheSocketDoesNotStallTheBridge() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + remote.port(),
                     "topic flood/# out 0",
                     "restart_timeout 1");
             Ends x = new Ends(local.port(), remote.port())) {
            x.t.subscribe("flood/#", 0);
            awaitFlowing(x.h, "flood/probe", x.there);
            byte[] big = new byte[8192];
            for (int i = 0; i < 3000; i++) { // 24 MB at once: the bridge's socket fills and drains
                x.h.publish("flood/x", big, 0, false);
            }
            // Whatever the queue limits dropped of the flood, the bridge goes on: later messages pass.
            awaitFlowing(x.h, "flood/after", x.there);
        }
    }

    @Test
    void overTlsWithTheTestCaAndAClientCertificate() throws Exception {
        TestCertificates pki = TestCertificates.create(dir);
        int tlsPort = MosquittoBroker.freePort();
        try (MosquittoBroker remote = MosquittoBroker.start(dir, "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.file("ca.crt"), "certfile " + pki.file("server.crt"),
                "keyfile " + pki.file("server.key"), "require_certificate true");
             Broker local = courtier(dir,
                     "connection cloud",
                     "address 127.0.0.1:" + tlsPort,
                     "topic maison/# both 1 \"\" pi42/",
                     "remote_clientid pi42",
                     "restart_timeout 1",
                     "bridge_cafile " + pki.file("ca.crt"),
                     "bridge_certfile " + pki.file("sensor.crt"),
                     "bridge_keyfile " + pki.file("sensor.key"));
             Ends x = new Ends(local.port(), remote.port())) {
            x.h.subscribe("maison/#", 1);
            x.t.subscribe("pi42/#", 1);
            awaitFlowing(x.h, "maison/probe", x.there);
            publish(x.t, "pi42/maison/in", "through TLS", 1, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> x.here.payloads().contains("through TLS"));
            assertThat(remote.log()).contains("New bridge connected");
        }
    }

    @Test
    void aDeadFirstAddressFailsOverToTheNextAndTheLogSaysSoInMosquittosWords() throws Exception {
        int dead = MosquittoBroker.freePort();
        try (LogCapture log = LogCapture.broker();
             MosquittoBroker remote = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + dead + " 127.0.0.1:" + remote.port(),
                     "topic maison/# out 1",
                     "restart_timeout 1");
             Ends x = new Ends(local.port(), remote.port())) {
            x.t.subscribe("maison/#", 1);
            awaitFlowing(x.h, "maison/probe", x.there);
            assertThat(log.messages()).contains("Connecting bridge school (127.0.0.1:" + dead + ")",
                    "Connecting bridge school (127.0.0.1:" + remote.port() + ")");
            assertThat(log.messages()).anyMatch(m -> m.startsWith("Bridge school: connection to 127.0.0.1:" + dead
                    + " failed"));
        }
    }

    @Test
    void aLazyBridgeStartsAtItsThresholdAndStopsWhenIdle() throws Exception {
        try (LogCapture log = LogCapture.broker();
             MosquittoBroker remote = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + remote.port(),
                     "topic maison/# out 1",
                     "start_type lazy",
                     "threshold 5",
                     "idle_timeout 2");
             Ends x = new Ends(local.port(), remote.port())) {
            x.t.subscribe("maison/#", 1);
            for (int i = 1; i <= 4; i++) {
                publish(x.h, "maison/n", Integer.toString(i), 1, false);
            }
            // Four wait in the bridge's session: under the threshold, no connection is tried.
            await().atMost(Duration.ofSeconds(10)).until(() -> local.bridges().get(0).queued() == 4);
            assertThat(log.messages()).noneMatch(m -> m.startsWith("Connecting bridge school"));
            publish(x.h, "maison/n", "5", 1, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> x.there.payloads().containsAll(
                    List.of("1", "2", "3", "4", "5")));
            // Nothing more to send: it stops after idle_timeout.
            await().atMost(Duration.ofSeconds(20)).until(() -> !local.bridges().get(0).connected());
            assertThat(log.messages()).anyMatch(m -> m.startsWith("Bridge school stopping: idle for"));
        }
    }

    @Test
    void withoutRoundRobinTheBridgeGoesBackToItsMainAddressOnceItAnswers() throws Exception {
        int main = MosquittoBroker.freePort();
        try (MosquittoBroker secondary = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + main + " 127.0.0.1:" + secondary.port(),
                     "topic maison/# out 1",
                     "restart_timeout 1");
             Ends x = new Ends(local.port(), secondary.port())) {
            x.t.subscribe("maison/#", 1);
            awaitFlowing(x.h, "maison/probe", x.there);
            try (MosquittoBroker primary = MosquittoBroker.onConfig(MosquittoBroker.config(dir, main), main)) {
                Paho.Inbox atMain = new Paho.Inbox();
                MqttClient m = paho(main, "there", atMain, true);
                try {
                    m.subscribe("maison/#", 1);
                    awaitFlowing(x.h, "maison/probe", atMain);
                } finally {
                    Paho.closeQuietly(m);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void retainedMessagesKeepTheirFlagBothWays(String protocol) throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(dir);
             Broker local = courtier(dir,
                     "connection school",
                     "address 127.0.0.1:" + remote.port(),
                     "topic maison/# out 1 \"\" pi42/",
                     "topic commandes/# in 1 \"\" pi42/",
                     "remote_clientid pi42",
                     "restart_timeout 1",
                     "bridge_protocol_version " + protocol);
             Ends x = new Ends(local.port(), remote.port())) {
            x.h.subscribe("commandes/#", 1);
            x.t.subscribe("pi42/#", 1);
            awaitFlowing(x.t, "pi42/commandes/probe", x.here);
            awaitFlowing(x.h, "maison/probe", x.there);
            publish(x.h, "maison/porte", "fermée", 1, true);
            publish(x.t, "pi42/commandes/chauffage", "19", 1, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> x.there.payloads().contains("fermée")
                    && x.here.payloads().contains("19"));

            // Late subscribers on each side find the other side's retained message.
            Paho.Inbox lateThere = new Paho.Inbox();
            Paho.Inbox lateHere = new Paho.Inbox();
            MqttClient lt = paho(remote.port(), "late-there", lateThere, true);
            MqttClient lh = paho(local.port(), "late-here", lateHere, true);
            try {
                lt.subscribe("pi42/maison/porte", 1);
                lh.subscribe("commandes/chauffage", 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> lateThere.size() == 1 && lateHere.size() == 1);
                assertThat(lateThere.messages().get(0).retained()).isTrue();
                assertThat(lateThere.messages().get(0).payload()).isEqualTo("fermée");
                assertThat(lateHere.messages().get(0).retained()).isTrue();
                assertThat(lateHere.messages().get(0).payload()).isEqualTo("19");
            } finally {
                Paho.closeQuietly(lt);
                Paho.closeQuietly(lh);
            }
        }
    }
}
